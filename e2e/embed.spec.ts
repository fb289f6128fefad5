import { readFileSync } from "node:fs";
import { signHs256 } from "../lib/embed/jws";
import { EMBED_AUDIENCE } from "../lib/embed/model";
import { type HostPage, iframe, startHostPage } from "./embed-host";
import { type Api, expect, test } from "./fixtures";
import { EmbedFrame, EmbedsPage } from "./pages/embeds-page";

// Issue 11 end to end: a portal on another origin (its own port, a different
// site for the browser) frames Outpost embeds in Chromium, where third-party
// cookies are blocked; the data is live from InfluxDB and the simulator.

/** Overheating adds this much to the board (NUC boards run 42–62 °C, the warning is 80 °C). */
const OVERHEAT_C = 45;
/** A sample every 5 s, a chart refresh every 10 s, the fleet roll-up's cache: enough on a busy machine. */
const LIVE_MS = 45_000;

interface Created {
  grant: { id: string };
  credential: { type: "link" | "signed"; url?: string; token?: string; secret?: string };
}

async function linkGrant(api: Api, body: Record<string, unknown>): Promise<Created> {
  return api.post<Created>("/api/embed-grants", { mode: "link", ...body });
}

function signed(
  baseUrl: string,
  grant: Created,
  params: Record<string, string>,
  query = "theme=light&w=300&h=200",
) {
  const now = Math.floor(Date.now() / 1000);
  const token = signHs256(
    { aud: EMBED_AUDIENCE, grant: grant.grant.id, iat: now, exp: now + 600, params },
    grant.credential.secret ?? "",
    { kid: grant.grant.id },
  );
  return `${baseUrl}/embed/${token}?${query}`;
}

function withSize(url: string, w: number, h: number, theme = "light"): string {
  const u = new URL(url);
  u.searchParams.set("w", String(w));
  u.searchParams.set("h", String(h));
  u.searchParams.set("theme", theme);
  return u.toString();
}

let host: HostPage;
let stranger: HostPage;

test.beforeAll(async () => {
  host = await startHostPage();
  stranger = await startHostPage();
});
test.afterAll(async () => {
  await host?.stop();
  await stranger?.stop();
});

test.describe("embeds in a third-party portal", () => {
  test("(a) a link-mode chart and a signed-mode status card render live data, with third-party cookies blocked", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(90_000);
    const { store, storeName, nodes } = e2e.embed;
    const chartGrant = await linkGrant(api, {
      kind: "temperature",
      site: store,
      origins: [host.origin],
      ranges: ["15m", "1h", "6h"],
      defaultRange: "1h",
    });
    const cardGrant = await api.post<Created>("/api/embed-grants", {
      kind: "site-status",
      mode: "signed",
      site: null,
      filter: { kind: "store", label: "outpost.dev/country=XE" },
      origins: [host.origin],
    });
    host.set(
      "/a",
      iframe(withSize(chartGrant.credential.url ?? "", 600, 300), { name: "chart" }) +
        iframe(signed(e2e.baseUrl, cardGrant, { site: store }), { name: "card", width: 300, height: 200 }),
    );
    const cookieHeaders: string[] = [];
    page.on("request", async (req) => {
      if (req.url().includes("/embed/")) cookieHeaders.push((await req.allHeaders()).cookie ?? "");
    });
    await page.goto(host.url("/a"));

    const chart = new EmbedFrame(page, "chart");
    await expect(
      chart.frame.getByRole("heading", { name: `Board temperature · ${storeName}` }),
    ).toBeVisible();
    // One line per node of the store, from InfluxDB.
    await expect(chart.frame.locator("g.series")).toHaveCount(nodes.length);
    for (const n of nodes)
      await expect(chart.frame.locator(`g.series[data-id="${n}"] path`).last()).toHaveAttribute("d", /^M/);
    await expect(chart.frame.locator("[data-at]").first()).toHaveText(/^as of (just now|\d+ s ago)$/);
    await expect(chart.frame.getByRole("link", { name: "6 h" })).toBeVisible();
    // Live: the frame refreshes itself (a new server-rendered fragment) without a reload.
    const firstAt = await chart.root.getAttribute("data-generated-at");
    await expect(chart.root).not.toHaveAttribute("data-generated-at", firstAt ?? "", { timeout: 30_000 });
    await expect(chart.root).toHaveAttribute("data-outdated", "false");

    const card = new EmbedFrame(page, "card");
    await expect(card.frame.getByRole("heading", { name: storeName })).toBeVisible();
    await expect(card.frame.locator("[data-status]")).toHaveAttribute("data-status", "healthy", {
      timeout: LIVE_MS,
    });
    await expect(card.frame.getByText(/Last seen (just now|\d+ s ago)/)).toBeVisible();

    // The browser really blocks third-party cookies here, and the embeds never needed one.
    const probe = await chart.handle().evaluate(async () => {
      // biome-ignore lint/suspicious/noDocumentCookie: the probe is exactly a plain third-party cookie write
      document.cookie = "probe=1; SameSite=None; Secure";
      return { cookie: document.cookie, hasStorageAccess: await document.hasStorageAccess() };
    });
    expect(probe).toEqual({ cookie: "", hasStorageAccess: false });
    expect(cookieHeaders.length).toBeGreaterThan(2);
    expect(cookieHeaders.every((c) => c === "")).toBe(true);
  });

  test("(b) a portal not in the grant: the browser refuses the frame; with a referrer, the frame says why", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const grant = await linkGrant(api, {
      kind: "site-status",
      site: e2e.embed.store,
      origins: [host.origin],
    });
    const src = withSize(grant.credential.url ?? "", 300, 200);
    stranger.set(
      "/b",
      iframe(src, { name: "silent", referrerPolicy: "no-referrer" }) + iframe(src, { name: "told" }),
    );
    const refusals: string[] = [];
    page.on("console", (m) => {
      if (m.text().includes("frame-ancestors")) refusals.push(m.text());
    });
    await page.goto(stranger.url("/b"));
    // The portal sent no origin: Outpost answers with the grant's frame-ancestors and the browser refuses.
    await expect.poll(() => page.frame({ name: "silent" })?.url()).toMatch(/^chrome-error:/);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    expect(refusals[0]).toContain(host.origin);
    // The portal told its origin (the default referrer policy): the frame names it, and shows nothing else.
    const told = new EmbedFrame(page, "told");
    await expect(told.error).toContainText(
      `This embed is not allowed on this site (origin ${stranger.origin})`,
    );
    await expect(told.frame.locator("[data-status]")).toHaveCount(0);
  });

  test("(c) revoking in the UI turns the portal's frame into “revoked” on its next refresh", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(60_000);
    const grant = await linkGrant(api, {
      kind: "site-status",
      site: e2e.embed.store,
      origins: [host.origin],
      note: "e2e revoke",
    });
    host.set("/c", iframe(withSize(grant.credential.url ?? "", 300, 200), { name: "card" }));
    const portal = await page.context().newPage();
    await portal.goto(host.url("/c"));
    const card = new EmbedFrame(portal, "card");
    await expect(card.frame.getByRole("heading", { name: e2e.embed.storeName })).toBeVisible();

    const embeds = new EmbedsPage(page);
    await embeds.goto();
    await expect(embeds.row(grant.grant.id)).toContainText("e2e revoke");
    await embeds.revoke(grant.grant.id);
    // No reload of the portal: its frame refreshes itself and learns.
    await expect(card.error).toHaveText(/This embed link was revoked/, { timeout: 25_000 });
    await expect(card.error).toHaveAttribute("data-terminal", "1");
    await portal.close();
  });

  test("(d) an overheating node shows in the embedded chart and the status card", async ({
    adminPage: page,
    api,
    e2e,
    faults,
  }) => {
    test.setTimeout(150_000);
    const { store, cluster, overheatNode } = e2e.embed;
    const chartGrant = await linkGrant(api, {
      kind: "temperature",
      site: store,
      origins: [host.origin],
      ranges: ["15m", "1h"],
      defaultRange: "15m",
    });
    const cardGrant = await api.post<Created>("/api/embed-grants", {
      kind: "site-status",
      mode: "signed",
      site: store,
      origins: [host.origin],
    });
    host.set(
      "/d",
      iframe(withSize(chartGrant.credential.url ?? "", 600, 300, "dark"), { name: "chart" }) +
        iframe(signed(e2e.baseUrl, cardGrant, {}, "theme=dark&w=320&h=240"), {
          name: "card",
          width: 320,
          height: 240,
        }),
    );
    await page.goto(host.url("/d"));
    const chart = new EmbedFrame(page, "chart");
    const card = new EmbedFrame(page, "card");
    await expect(card.frame.locator("[data-status]")).toHaveAttribute("data-status", "healthy", {
      timeout: LIVE_MS,
    });
    await expect(chart.frame.locator("[data-warn]")).toHaveText("");

    await faults.add({
      type: "overheating",
      site: store,
      cluster,
      node: overheatNode,
      params: { celsius: OVERHEAT_C },
    });
    await expect(chart.frame.locator("[data-warn]")).toHaveText("1 node above the warning threshold", {
      timeout: LIVE_MS,
    });
    const latest = chart.frame
      .locator("table.vh tr", {
        has: chart.frame.getByRole("rowheader", { name: overheatNode, exact: true }),
      })
      .locator("td")
      .first();
    await expect.poll(async () => Number.parseFloat((await latest.textContent()) ?? "0")).toBeGreaterThan(80);
    await expect(card.frame.locator("[data-status]")).toHaveAttribute("data-status", "degraded", {
      timeout: LIVE_MS,
    });
    await expect(card.frame.locator("[data-headline]")).toHaveText(
      new RegExp(`^${overheatNode} at \\d+\\.\\d °C`),
    );
  });

  test("(f) the Embed button beside a site chart: live preview, then the snippet (once), pasted into a portal", async ({
    adminPage: page,
    e2e,
  }) => {
    test.setTimeout(60_000);
    await page.goto(`/sites/${e2e.embed.store}`);
    await page.getByTestId("embed-temperature").click();
    const dialog = page.getByRole("dialog", { name: "Embed temperature" });
    await expect(
      dialog.getByRole("heading", { name: `Embed Temperature chart · ${e2e.embed.storeName}` }),
    ).toBeVisible();
    // The preview is the real embed renderer, before any grant exists.
    const preview = dialog.frameLocator("[data-testid=embed-preview]");
    await expect(
      preview.getByRole("heading", { name: `Board temperature · ${e2e.embed.storeName}` }),
    ).toBeVisible();
    await expect(preview.locator("g.series")).toHaveCount(e2e.embed.nodes.length);
    // Without an origin the dialog says what is missing.
    await dialog.getByRole("button", { name: "Create embed link" }).click();
    await expect(dialog.getByText("name at least one portal origin allowed to frame it")).toBeVisible();
    await dialog.getByLabel("Portals allowed to show it (origins)").fill(host.origin);
    await dialog.getByLabel("Note").fill("e2e dialog");
    await dialog.getByRole("button", { name: "Create embed link" }).click();
    const snippet = dialog.getByTestId("embed-snippet");
    await expect(snippet).toHaveValue(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/oel_/);
    const src = ((await snippet.inputValue()).match(/src="([^"]+)"/)?.[1] ?? "").replace(/&amp;/g, "&");
    await dialog.getByRole("button", { name: "Done" }).click();

    host.set("/f", iframe(src, { name: "pasted" }));
    const portal = await page.context().newPage();
    await portal.goto(host.url("/f"));
    await expect(
      new EmbedFrame(portal, "pasted").frame.getByRole("heading", {
        name: `Board temperature · ${e2e.embed.storeName}`,
      }),
    ).toBeVisible();
    await portal.close();
    // Listed for its owner, with its note; the token itself is nowhere on the page.
    await page.goto("/embeds");
    await expect(page.getByTestId("grant-table")).toContainText("e2e dialog");
    expect(await page.content()).not.toContain(new URL(src).pathname.split("/")[2]);
  });

  test("(e) no embed token reaches the server's log", async ({ e2e }) => {
    const log = readFileSync(e2e.embed.logFile, "utf8");
    expect(log).not.toMatch(/oel_[A-Za-z0-9]/);
    expect(log).not.toMatch(/\/embed\/eyJ/);
  });
});
