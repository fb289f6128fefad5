import type { APIRequestContext } from "@playwright/test";
import type { AlertList } from "../lib/alerts/alerts-store";
import { WebhookReceiver } from "../lib/testing/alerts-fixtures";
import { expect, test } from "./fixtures";
import { AlertsPage } from "./pages/alerts-page";
import { SiteMaintenancePanel, SiteThresholdsPanel } from "./pages/site-alerts";
import { SitePage } from "./pages/site-page";

// Temperature alerts end to end (issue 9), on the real simulator, a real InfluxDB fed by its
// telemetry writer, the production server's embedded evaluator (every 2 s in e2e) and a real
// HTTP receiver in this process. One test, in steps, so the dark store's 50 s to "unreachable"
// runs while the overheat steps do (the faults fixture clears faults between tests).

/** Rule periods short enough for a test, long enough to see each state. */
const PENDING_S = 10;
const CLEAR_S = 15;
/** The site level set in the UI; an overheating node (+45 °C) is far above it, a cool one far below. */
const SITE_LEVEL = 85;
/** This test's rules (the default rules a fresh install seeds apply to every site too). */
const TEMP_RULE = "E2E board temperature";
const DARK_RULE = "E2E site unreachable";
const RULE_OF: Record<string, string> = { temperature: TEMP_RULE, "site-unreachable": DARK_RULE };

async function alertsOf(request: APIRequestContext, baseUrl: string, site: string): Promise<AlertList> {
  const res = await request.get(`${baseUrl}/api/alerts?site=${site}&historyLimit=50`);
  expect(res.status()).toBe(200);
  return (await res.json()) as AlertList;
}

async function waitForPhase(
  request: APIRequestContext,
  baseUrl: string,
  site: string,
  node: string | null,
  kind: string,
  phases: string[],
  timeoutMs: number,
): Promise<AlertList["items"][number] | null> {
  let found: AlertList["items"][number] | null = null;
  await expect
    .poll(
      async () => {
        const list = await alertsOf(request, baseUrl, site);
        found =
          list.items.find((a) => a.node === node && a.kind === kind && a.ruleName === RULE_OF[kind]) ?? null;
        return found?.phase ?? "normal";
      },
      { timeout: timeoutMs, intervals: [500] },
    )
    .toMatch(new RegExp(`^(${phases.join("|")})$`));
  return found;
}

/** Waits until the evaluator has gone on evaluating an instance for `ms` past now (its lastEvaluatedAt moved). */
async function evaluatedFor(
  request: APIRequestContext,
  baseUrl: string,
  site: string,
  node: string,
  ms: number,
) {
  const until = Date.now() + ms;
  await expect
    .poll(
      async () => {
        const a = (await alertsOf(request, baseUrl, site)).items.find(
          (x) => x.node === node && x.ruleName === TEMP_RULE,
        );
        return a ? Date.parse(a.lastEvaluatedAt) >= until : false;
      },
      { timeout: ms + 30_000, intervals: [1_000] },
    )
    .toBe(true);
}

test.describe("temperature alerts", () => {
  let receiver: WebhookReceiver;

  test.beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  test.afterAll(async () => {
    await receiver?.stop();
  });

  test("pending → firing → one signed message → cleared after the clear period; hovering fires once; a dark store is one alert; maintenance mutes", async ({
    adminPage: page,
    api,
    e2e,
    faults,
  }) => {
    test.setTimeout(240_000);
    const { store, darkStore } = e2e.alerts;
    const base = e2e.baseUrl;
    const [hoverNode, hotNode] = store.nodes;
    if (!hotNode || !hoverNode) throw new Error("the alerts store has two nodes");
    const sites = (await (await page.request.get(`${base}/api/sites?limit=500`)).json()) as {
      items: { id: string; slug: string }[];
    };
    const siteId = (slug: string) => sites.items.find((s) => s.slug === slug)?.id ?? "";

    await test.step("a contact point (this test's receiver) and rules for the alerts sites", async () => {
      const cp = await api.post<{ contactPoint: { id: string }; secret: string }>(
        "/api/alerts/contact-points",
        {
          name: `e2e receiver ${Date.now()}`,
          kind: "webhook",
          url: receiver.url,
        },
      );
      receiver.secret = cp.secret;
      const common = {
        scope: { siteIds: [siteId(store.site), siteId(darkStore.site)] },
        contactPointIds: [cp.contactPoint.id],
        groupWaitSeconds: 0,
        groupIntervalSeconds: 1,
      };
      await api.post("/api/alerts/rules", {
        name: TEMP_RULE,
        kind: "temperature",
        forSeconds: PENDING_S,
        clearForSeconds: CLEAR_S,
        ...common,
      });
      await api.post("/api/alerts/rules", {
        name: DARK_RULE,
        kind: "site-unreachable",
        forSeconds: 0,
        clearForSeconds: 0,
        ...common,
      });
    });

    // The dark store's countdown to "unreachable" (50 s) runs while the overheat steps do.
    await faults.add({ type: "offline", site: darkStore.site });
    const darkSince = Date.now();

    const sitePage = new SitePage(page);
    await test.step("an operator sets the site's threshold in the UI", async () => {
      await sitePage.goto(store.site);
      const thresholds = new SiteThresholdsPanel(page);
      await thresholds.setSite(SITE_LEVEL);
      await expect(thresholds.siteValue).toContainText(`${SITE_LEVEL} °C, set on this site`);
    });

    let overheat = "";
    await test.step("an overheating node goes Pending, then Firing, and the receiver gets one signed message", async () => {
      overheat = await faults.add({
        type: "overheating",
        site: store.site,
        cluster: store.cluster,
        node: hotNode,
        params: { celsius: 45 },
      });
      const pending = await waitForPhase(
        page.request,
        base,
        store.site,
        hotNode,
        "temperature",
        ["pending", "firing"],
        60_000,
      );
      expect(pending?.phase).toBe("pending");
      const firing = await waitForPhase(
        page.request,
        base,
        store.site,
        hotNode,
        "temperature",
        ["firing"],
        60_000,
      );
      expect(firing?.threshold).toEqual({ celsius: SITE_LEVEL, source: "set on site Alerts store 01" });
      await expect.poll(() => receiver.announced(store.site).length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(receiver.announced(store.site)).toEqual([
        { status: "firing", node: hotNode, kind: "temperature" },
      ]);
      expect(receiver.requests.every((r) => r.isSigned)).toBe(true);
      const alerts = new AlertsPage(page);
      await alerts.goto();
      const row = alerts.row(store.site, hotNode, "temperature", TEMP_RULE);
      await expect(row).toHaveAttribute("data-state", "firing");
      await expect(row).toContainText(`${SITE_LEVEL} °C`);
      await expect(row).toContainText("set on site Alerts store 01");
      await sitePage.goto(store.site);
      // The fleet's default temperature rule sees the same node: this test's rule is the one named.
      await expect(
        page
          .getByTestId("site-alerts")
          .locator(
            `[data-testid="alert-row-${store.site}-${hotNode}-temperature"][data-rule="${TEMP_RULE}"]`,
          ),
      ).toBeVisible();
    });

    await test.step("removing the fault clears it only after the clear period", async () => {
      await faults.remove(overheat);
      const removedAt = Date.now();
      await waitForPhase(
        page.request,
        base,
        store.site,
        hotNode,
        "temperature",
        ["clearing", "normal"],
        60_000,
      );
      await waitForPhase(page.request, base, store.site, hotNode, "temperature", ["normal"], 60_000);
      expect(Date.now() - removedAt).toBeGreaterThanOrEqual(CLEAR_S * 1000);
      await expect
        .poll(() => receiver.announced(store.site).map((a) => a.status), { timeout: 15_000 })
        .toEqual(["firing", "resolved"]);
    });

    await test.step("a dark 3-node store is one 'site unreachable' alert and no per-node storm", async () => {
      const firing = await waitForPhase(
        page.request,
        base,
        darkStore.site,
        null,
        "site-unreachable",
        ["firing"],
        Math.max(10_000, 110_000 - (Date.now() - darkSince)),
      );
      expect(firing?.phase).toBe("firing");
      const list = await alertsOf(page.request, base, darkStore.site);
      const loud = list.items.filter((a) => !a.suppressed && !a.mutedBy && a.ruleName.startsWith("E2E"));
      expect(loud.map((a) => a.kind)).toEqual(["site-unreachable"]);
      // Whatever the node-level rules hold for its nodes is suppressed, not announced.
      for (const a of list.items.filter((x) => x.node !== null))
        expect(a.suppressed).toBe("site-unreachable");
      await expect.poll(() => receiver.announced(darkStore.site).length, { timeout: 15_000 }).toBe(1);
      expect(receiver.announced(darkStore.site)).toEqual([
        { status: "firing", node: null, kind: "site-unreachable" },
      ]);
      const alerts = new AlertsPage(page);
      await alerts.goto();
      await expect(alerts.row(darkStore.site, null, "site-unreachable", DARK_RULE)).toHaveAttribute(
        "data-state",
        "firing",
      );
    });

    await test.step("a temperature hovering around the threshold produces one notification", async () => {
      const before = receiver.announced(store.site).length;
      await faults.add({
        type: "temperature-hover",
        site: store.site,
        cluster: store.cluster,
        node: hoverNode,
        // 83–88 °C around the 85 °C level: it crosses the level every swing, never reaches the 82 °C clear level.
        params: { celsius: SITE_LEVEL + 0.5, amplitudeC: 2.5, periodMs: 10_000 },
      });
      await waitForPhase(page.request, base, store.site, hoverNode, "temperature", ["firing"], 60_000);
      // Three more swings across the level, seen by the evaluator.
      await evaluatedFor(page.request, base, store.site, hoverNode, 30_000);
      const hover = receiver
        .announced(store.site)
        .slice(before)
        .filter((a) => a.node === hoverNode);
      expect(hover).toEqual([{ status: "firing", node: hoverNode, kind: "temperature" }]);
      const still = (await alertsOf(page.request, base, store.site)).items.find(
        (a) => a.node === hoverNode && a.ruleName === TEMP_RULE,
      );
      expect(still?.phase).toMatch(/^(firing|clearing)$/);
    });

    await test.step("maintenance mutes notifications but keeps the alert visible", async () => {
      await sitePage.goto(store.site);
      const maintenance = new SiteMaintenancePanel(page);
      await maintenance.start("e2e: swap the board", "1 hour");
      const before = receiver.announced(store.site).length;
      await faults.add({
        type: "overheating",
        site: store.site,
        cluster: store.cluster,
        node: hotNode,
        params: { celsius: 45 },
      });
      const firing = await waitForPhase(
        page.request,
        base,
        store.site,
        hotNode,
        "temperature",
        ["firing"],
        60_000,
      );
      expect(firing?.mutedBy).toBe("maintenance");
      const alerts = new AlertsPage(page);
      await alerts.goto();
      const row = alerts.row(store.site, hotNode, "temperature", TEMP_RULE);
      await expect(row).toHaveAttribute("data-state", "firing");
      await expect(row).toHaveAttribute("data-muted", "maintenance");
      await expect(row.getByTestId("alert-muted")).toContainText("site in maintenance");
      // A few evaluations later, still nothing announced for it.
      await evaluatedFor(page.request, base, store.site, hotNode, 6_000);
      expect(
        receiver
          .announced(store.site)
          .slice(before)
          .filter((a) => a.node === hotNode && a.status === "firing"),
      ).toEqual([]);
      await sitePage.goto(store.site);
      await maintenance.end();
      await new SiteThresholdsPanel(page).inheritSite();
    });
  });
});
