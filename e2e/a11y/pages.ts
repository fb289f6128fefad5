import type { APIRequestContext } from "@playwright/test";
import type { E2EState } from "../state";

// Every page of the app and the URL the accessibility audit opens for it.
// e2e/a11y.spec.ts discovers app/**/page.tsx and fails for a route that is in
// neither table, so a new page is audited from the day it lands: add one line.

export interface AuditContext {
  e2e: E2EState;
  /** the signed-in admin's API client (same cookies as the audited page) */
  request: APIRequestContext;
}

export interface AuditedPage {
  /** the URL to open (path + query), resolved against the running fleet */
  url: (ctx: AuditContext) => string | Promise<string>;
  /** audit signed out (e.g. the login page); default: signed in as the admin */
  isSignedOut?: boolean;
  /**
   * A CSS selector that must be on screen before the audit runs (the page's
   * live parts loaded). Every audit also waits until no loading spinner is left.
   */
  readySelector?: string;
  /** the path the page sends the browser on to (the audit runs there) */
  redirectsTo?: string;
}

async function firstClusterId(ctx: AuditContext, siteSlug: string): Promise<string> {
  const res = await ctx.request.get(`/api/sites/${encodeURIComponent(siteSlug)}/health`);
  const body = (await res.json()) as { clusters: { id: string }[] };
  const id = body.clusters[0]?.id;
  if (!id) throw new Error(`site ${siteSlug} has no cluster to audit`);
  return id;
}

const A11Y_DEPLOYMENT = "a11y-config";

/** A deployment (one ConfigMap) rolled out to one store, made through the API on first use. */
async function auditedRollout(ctx: AuditContext): Promise<{ name: string; rolloutId: string }> {
  const headers = { origin: ctx.e2e.baseUrl, "content-type": "application/json" };
  const created = await ctx.request.post("/api/deployments", {
    headers,
    data: {
      name: A11Y_DEPLOYMENT,
      description: "audited by the accessibility spec",
      manifest:
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a11y-config, namespace: default }\ndata: { a: b }\n",
      message: "for the audit",
    },
  });
  if (created.status() !== 200 && created.status() !== 409)
    throw new Error(`deployment not created: ${created.status()} ${await created.text()}`);
  const detail = (await (await ctx.request.get(`/api/deployments/${A11Y_DEPLOYMENT}`)).json()) as {
    rollouts: { id: string }[];
  };
  let rolloutId = detail.rollouts[0]?.id;
  if (!rolloutId) {
    const started = await ctx.request.post(`/api/deployments/${A11Y_DEPLOYMENT}/rollouts`, {
      headers,
      data: { targets: { sites: ["store-london-01"] }, strategy: { soakSeconds: 0 } },
    });
    if (started.status() !== 200) throw new Error(`rollout not started: ${await started.text()}`);
    rolloutId = ((await started.json()) as { id: string }).id;
  }
  return { name: A11Y_DEPLOYMENT, rolloutId };
}

/** Route (as the file system names it, without route groups) → how to open it. */
export const AUDITED_PAGES: Record<string, AuditedPage> = {
  "/": { url: () => "/", readySelector: "[data-testid=fleet-list]" },
  "/login": { url: () => "/login", isSignedOut: true },
  "/alerts": { url: () => "/alerts", readySelector: "[data-testid=alert-counts]" },
  "/alerts/rules": { url: () => "/alerts/rules", readySelector: "[data-testid=rules-table]" },
  "/alerts/contact-points": {
    url: () => "/alerts/contact-points",
    readySelector: "#cp-list-title",
  },
  "/deployments": { url: () => "/deployments" },
  "/deployments/new": { url: () => "/deployments/new" },
  "/deployments/[name]": {
    url: async (ctx) => `/deployments/${(await auditedRollout(ctx)).name}`,
    readySelector: "[data-testid=rollout]",
  },
  "/deployments/[name]/rollouts/[id]": {
    url: async (ctx) => {
      const r = await auditedRollout(ctx);
      return `/deployments/${r.name}/rollouts/${r.rolloutId}`;
    },
    readySelector: "[data-testid=rollout-targets]",
  },
  "/embeds": { url: () => "/embeds" },
  "/settings": { url: () => "/settings", redirectsTo: "/settings/users" },
  "/settings/account": { url: () => "/settings/account" },
  "/settings/audit": { url: () => "/settings/audit" },
  "/settings/data-sources": { url: () => "/settings/data-sources" },
  "/settings/data-sources/new": { url: () => "/settings/data-sources/new" },
  "/settings/data-sources/[id]": {
    url: ({ e2e }) => `/settings/data-sources/${e2e.telemetry.dataSource.id}`,
  },
  "/settings/tokens": { url: () => "/settings/tokens" },
  "/settings/users": { url: () => "/settings/users" },
  "/sites": { url: () => "/sites" },
  "/sites/new": { url: () => "/sites/new" },
  "/sites/[slug]": { url: ({ e2e }) => `/sites/${e2e.telemetry.windFarm}`, readySelector: "figure" },
  "/sites/[slug]/edit": { url: ({ e2e }) => `/sites/${e2e.telemetry.windFarm}/edit` },
  "/sites/[slug]/clusters/new": { url: ({ e2e }) => `/sites/${e2e.telemetry.windFarm}/clusters/new` },
  "/sites/[slug]/clusters/[clusterId]": {
    url: async (ctx) =>
      `/sites/${ctx.e2e.telemetry.windFarm}/clusters/${await firstClusterId(ctx, ctx.e2e.telemetry.windFarm)}`,
  },
};

/**
 * More URLs for routes whose look depends on the data: other states of the
 * same page (a one-node store, a page that is not found).
 */
export const EXTRA_AUDITS: Record<string, AuditedPage> = {
  "site page of a small store": {
    url: ({ e2e }) => `/sites/${e2e.fleet.notReadySite}`,
    readySelector: "figure",
  },
  "page not found": { url: () => "/sites/no-such-site-anywhere" },
  "site page of a 20-turbine farm (health grid, heatmap, timeline)": {
    url: ({ e2e }) => `/sites/${e2e.views.gridFarm.slug}`,
    readySelector: "[data-testid=temperature-heatmap] canvas[data-drawn]",
  },
  "control center: grid of every wind-farm cluster": {
    url: () => "/?kind=wind-farm&view=grid",
    readySelector: "[data-testid=fleet-grid]",
  },
  // Embeds are route handlers, not page.tsx: the grant dialog's preview renders the same HTML top-level.
  "embed: temperature chart (light)": {
    url: ({ e2e }) =>
      `/api/embed-grants/preview?kind=temperature&site=${e2e.telemetry.windFarm}&theme=light&w=600&h=300`,
    readySelector: "figure.eb-chart",
  },
  "embed: site status card (dark)": {
    url: ({ e2e }) =>
      `/api/embed-grants/preview?kind=site-status&site=${e2e.fleet.notReadySite}&theme=dark&w=320&h=240`,
    readySelector: "[data-status]",
  },
  "embed: fleet status strip (light)": {
    url: () => "/api/embed-grants/preview?kind=fleet-strip&filterKind=store&theme=light&w=420&h=200",
    readySelector: "[data-testid=embed-strip]",
  },
};

/** Routes deliberately not audited, with the reason. */
export const NOT_AUDITED: Record<string, string> = {};
