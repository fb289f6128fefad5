import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { Shell } from "./pages/shell";

test.describe("sign-in", () => {
  test("(a) first admin login: unauthenticated visitors go to /login?next, a wrong password shows an error, then the admin lands where they wanted", async ({
    page,
    e2e,
  }) => {
    await page.goto("/sites");
    await expect(page).toHaveURL(/\/login\?next=%2Fsites$/);

    const login = new LoginPage(page);
    await login.signIn(e2e.admin.username, "not-the-password");
    await expect(login.error).toContainText("Wrong username or password");
    await expect(page).toHaveURL(/\/login/);

    await login.signIn(e2e.admin.username, e2e.admin.password);
    await expect(page).toHaveURL(/\/sites$/);
    await expect(page.getByRole("heading", { name: "Sites", level: 1 })).toBeVisible();

    const shell = new Shell(page);
    await expect(shell.userBox).toContainText(e2e.admin.username);
    await expect(shell.userBox).toContainText("admin");
    await expect(shell.link("Sites")).toHaveAttribute("aria-current", "page");

    await shell.signOut.click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("next only accepts same-site paths", async ({ page, e2e }) => {
    const login = new LoginPage(page);
    await login.goto("//evil.example/steal");
    await login.signIn(e2e.admin.username, e2e.admin.password);
    await expect(page).toHaveURL(`${e2e.baseUrl}/`);
    await expect(page.getByRole("heading", { name: "Fleet", level: 1 })).toBeVisible();
  });

  test("rate limiting: repeated failures show the 429 message", async ({ page, request, e2e }) => {
    const username = "nobody-here";
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) {
      const res = await request.post(`${e2e.baseUrl}/api/auth/login`, {
        data: { username, password: "wrong-password" },
        headers: { origin: e2e.baseUrl },
      });
      status = res.status();
    }
    expect(status).toBe(429);
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(username, "wrong-password");
    await expect(login.error).toContainText("Too many failed sign-ins");
    await expect(login.error).toContainText(/try again in \d+ min/);
  });

  test("every nav link works", async ({ adminPage: page }) => {
    await page.goto("/");
    const shell = new Shell(page);
    await shell.link("Alerts").click();
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    await shell.link("Deployments").click();
    await expect(page.getByRole("heading", { name: "Deployments", level: 1 })).toBeVisible();
    await shell.link("Settings").click();
    await expect(page).toHaveURL(/\/settings\/users$/);
  });
});
