import { expect, test, uniqueName } from "./fixtures";
import { AccountPage } from "./pages/account-page";
import { LoginPage } from "./pages/login-page";
import { Shell } from "./pages/shell";
import { UsersPage } from "./pages/users-page";

const VIEWER_PASSWORD = "viewer-password-123";

test.describe("roles and CSRF", () => {
  test("(f) a viewer created by the admin cannot reach /settings/users (403 page) nor the admin API", async ({
    browser,
    adminPage,
    e2e,
  }) => {
    // The admin creates the viewer through the UI.
    const users = new UsersPage(adminPage);
    await users.goto();
    const username = uniqueName("viewer").toLowerCase();
    await users.username.fill(username);
    await users.password.fill(VIEWER_PASSWORD);
    await users.role.selectOption("viewer");
    await users.create.click();
    await expect(users.row(username)).toContainText("viewer");
    await expect(users.row(username)).toContainText("active");

    // The viewer signs in in a separate browser context.
    const context = await browser.newContext({ baseURL: e2e.baseUrl });
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(username, VIEWER_PASSWORD);
    await expect(page.getByRole("heading", { name: "Fleet", level: 1 })).toBeVisible();
    await expect(new Shell(page).userBox).toContainText("viewer");
    await expect(page.getByRole("link", { name: "Add site" })).toHaveCount(0);

    // Opened directly, the refusal is an HTTP 403, not a 200 that says "not allowed".
    expect((await page.goto("/settings/users"))?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("403");
    await expect(page.getByTestId("forbidden")).toContainText("needs the admin role");
    await expect(page.getByTestId("user-table")).toHaveCount(0);
    expect((await page.goto("/sites/new"))?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();

    // The API says the same, with the viewer's own cookies and a same-origin Origin.
    const usersRes = await page.request.get("/api/users");
    expect(usersRes.status()).toBe(403);
    expect(((await usersRes.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const siteRes = await page.request.post("/api/sites", {
      data: { name: "Viewer site", kind: "store" },
      headers: { origin: e2e.baseUrl },
    });
    expect(siteRes.status()).toBe(403);
    expect(((await siteRes.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    // …while reading is allowed.
    expect((await page.request.get("/api/sites")).status()).toBe(200);
    await context.close();
  });

  test("a viewer changes their own password under Settings → Your account", async ({
    browser,
    adminPage: _signedIn,
    api,
    e2e,
  }) => {
    const username = uniqueName("self").toLowerCase();
    await api.createUser(username, VIEWER_PASSWORD, "viewer");
    const context = await browser.newContext({ baseURL: e2e.baseUrl });
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(username, VIEWER_PASSWORD);
    await expect(new Shell(page).userBox).toContainText("viewer");

    const account = new AccountPage(page);
    await account.goto();
    await account.change(VIEWER_PASSWORD, "a-new-password-of-mine", "a-typo-in-the-repeat");
    await expect(page.getByText("does not match the new password")).toBeVisible();
    await account.change("not-my-password", "a-new-password-of-mine");
    await expect(page.getByText("is wrong")).toBeVisible();
    await account.change(VIEWER_PASSWORD, "a-new-password-of-mine");
    await expect(page.getByRole("status")).toContainText("Password changed");

    await context.clearCookies();
    await login.goto();
    await login.signIn(username, VIEWER_PASSWORD);
    await expect(login.error).toContainText("Wrong username or password");
    await login.signIn(username, "a-new-password-of-mine");
    await expect(new Shell(page).userBox).toContainText(username);
    await context.close();
  });

  test("an admin disables a user: their session stops working", async ({ browser, adminPage, api, e2e }) => {
    const username = uniqueName("operator").toLowerCase();
    await api.createUser(username, VIEWER_PASSWORD, "operator");
    const context = await browser.newContext({ baseURL: e2e.baseUrl });
    const other = await context.newPage();
    const login = new LoginPage(other);
    await login.goto();
    await login.signIn(username, VIEWER_PASSWORD);
    await expect(new Shell(other).userBox).toContainText("operator");

    const users = new UsersPage(adminPage);
    await users.goto();
    await users
      .row(username)
      .getByRole("button", { name: `Disable ${username}` })
      .click();
    await expect(users.row(username)).toContainText("disabled");

    await other.goto("/sites");
    await expect(other).toHaveURL(/\/login\?next=%2Fsites$/);
    await context.close();
  });

  test("(g) CSRF: a cookie-authenticated POST with a foreign Origin is refused", async ({
    adminPage: page,
    e2e,
  }) => {
    const foreign = await page.request.post("/api/sites", {
      data: { name: "CSRF site", kind: "store" },
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status()).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");

    // Same cookie, same body, same-origin Origin: accepted (so the refusal above was the Origin).
    const same = await page.request.post("/api/sites", {
      data: { name: uniqueName("Same origin site"), kind: "store" },
      headers: { origin: e2e.baseUrl },
    });
    expect(same.status()).toBe(200);
    const list = (await (await page.request.get("/api/sites?q=CSRF%20site")).json()) as { total: number };
    expect(list.total).toBe(0);
  });

  test("API tokens: created once in a copyable box, listed by prefix, revoked", async ({
    adminPage: page,
    e2e,
  }) => {
    await page.goto("/settings/tokens");
    const name = uniqueName("ci");
    const form = page.getByRole("form", { name: "Create API token" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Create token" }).click();
    const box = page.getByTestId("new-token");
    await expect(box).toContainText("only time Outpost shows it");
    const token = await box.getByTestId("secret-value").inputValue();
    expect(token).toMatch(/^opt_/);

    const me = await page.request.get(`${e2e.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status()).toBe(200);

    const row = page.getByTestId(`token-row-${name}`);
    await expect(row).toContainText(token.slice(0, 10));
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(row).toContainText("revoked");
    const after = await page.request.get(`${e2e.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status()).toBe(401);

    await page.goto("/settings/audit");
    await expect(page.getByTestId("audit-table")).toContainText("token.revoke");
  });
});
