import fs from "node:fs";
import path from "node:path";
import { describeViolations, runAxe } from "./a11y/axe";
import { AUDITED_PAGES, type AuditedPage, EXTRA_AUDITS, NOT_AUDITED } from "./a11y/pages";
import { expect, test } from "./fixtures";

// Automated WCAG 2 A/AA audit (axe-core) of every page, signed in as the admin
// (who sees every control). Pages are listed in e2e/a11y/pages.ts; the first
// test fails when a page.tsx exists that the table does not name. Each audit
// also checks that no table is wider than its panel.

/** app/**\/page.tsx as routes: "(group)" folders vanish, "_private" folders are not routes. */
function pageRoutes(dir = path.join(process.cwd(), "app"), segments: string[] = []): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue;
      const isGroup = entry.name.startsWith("(") && entry.name.endsWith(")");
      out.push(...pageRoutes(path.join(dir, entry.name), isGroup ? segments : [...segments, entry.name]));
    } else if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name)) {
      out.push(`/${segments.join("/")}`);
    }
  }
  return out.sort();
}

test("every page route is audited (or excluded with a reason)", () => {
  const routes = pageRoutes();
  expect(routes.length).toBeGreaterThan(10);
  const missing = routes.filter((r) => !(r in AUDITED_PAGES) && !(r in NOT_AUDITED));
  expect(missing, "add these routes to AUDITED_PAGES in e2e/a11y/pages.ts").toEqual([]);
  const stale = Object.keys(AUDITED_PAGES).filter((r) => !routes.includes(r));
  expect(stale, "these audited routes no longer exist").toEqual([]);
});

const audits: [string, AuditedPage][] = [...Object.entries(AUDITED_PAGES), ...Object.entries(EXTRA_AUDITS)];

test.describe("WCAG 2 A/AA (axe-core): 0 violations", () => {
  for (const [name, audit] of audits) {
    test(name, async ({ page, api, e2e }) => {
      if (!audit.isSignedOut) await api.login(e2e.admin.username, e2e.admin.password);
      const url = await audit.url({ e2e, request: page.request });
      await page.goto(url);
      if (audit.redirectsTo) await page.waitForURL((u) => u.pathname === audit.redirectsTo);
      if (audit.readySelector) await expect(page.locator(audit.readySelector).first()).toBeVisible();
      // Panels below the fold load when scrolled to: bring every one on screen once.
      for (let y = 0; y < (await page.evaluate(() => document.body.scrollHeight)); y += 800) {
        await page.evaluate((top) => window.scrollTo(0, top), y);
        await expect(page.locator(".loading, .spinner")).toHaveCount(0, { timeout: 20_000 });
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      // Live parts first: no spinner left, no request in flight.
      await expect(page.locator(".loading, .spinner")).toHaveCount(0, { timeout: 20_000 });
      await page.waitForLoadState("networkidle");
      const violations = await runAxe(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      // Tables never overflow their panels at a desktop width (they wrap, page or scroll inside a list).
      const overflowing = await page
        .locator(".table-wrap")
        .evaluateAll((wraps) =>
          wraps
            .filter((w) => w.scrollWidth > w.clientWidth + 1)
            .map(
              (w) =>
                `${w.querySelector("caption")?.textContent ?? w.className}: ${w.scrollWidth} > ${w.clientWidth} px`,
            ),
        );
      expect(overflowing, "tables wider than their panel").toEqual([]);
    });
  }
});
