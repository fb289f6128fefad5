// The demo's example portal (issue 11): another web app on its own port that
// embeds live Outpost views the way a wind-farm owner's SCADA portal or a
// retail intranet would — a link-mode chart and status card (iframes pasted
// once), and signed-mode cards whose token the portal's backend signs per
// page view with the grant's secret (node:crypto, the documented 10 lines).
// It is served from 127.0.0.1 while the dashboard is localhost: to the
// browser the embeds are third-party frames, exactly as in production.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { createGrant, reissueGrant } from "@/lib/embed/grants";
import { EMBED_AUDIENCE } from "@/lib/embed/model";
import { type GrantCreateInput, grantCreateSchema } from "@/lib/embed/schemas";

const NOTE_PREFIX = "[demo portal] ";
const FARM = "wf-north-sea-1";
const STORES = ["store-berlin-01", "store-munich-01", "store-paris-01", "store-madrid-01"];

interface PortalGrant {
  key: string;
  id: string;
  mode: "link" | "signed";
  /** link token or signing secret, fresh from this run */
  credential: string;
}

const WANTED: { key: string; input: GrantCreateInput }[] = [
  {
    key: "farm-temperature",
    input: {
      kind: "temperature",
      mode: "link",
      site: FARM,
      ranges: ["15m", "1h", "6h", "24h"],
      defaultRange: "1h",
      origins: [],
    },
  },
  { key: "farm-status", input: { kind: "site-status", mode: "link", site: FARM, origins: [] } },
  {
    key: "store-status",
    input: { kind: "site-status", mode: "signed", site: null, filter: { kind: "store" }, origins: [] },
  },
  {
    key: "store-strip",
    input: { kind: "fleet-strip", mode: "signed", filter: { kind: "store" }, origins: [] },
  },
];

/**
 * The demo's grants, made once and reused: each run hands out a fresh link
 * token or secret (reissue), so nothing piles up and no credential is stored.
 */
async function portalGrants(portalOrigins: string[]): Promise<Map<string, PortalGrant>> {
  const admin = await db().user.findFirstOrThrow({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  const actor: Actor = {
    kind: "session",
    userId: admin.id,
    username: admin.username,
    role: "admin",
    credentialId: "demo",
  };
  const scope = { userId: admin.id, isAdmin: true };
  const out = new Map<string, PortalGrant>();
  for (const { key, input } of WANTED) {
    const note = `${NOTE_PREFIX}${key}`;
    const existing = await db().embedGrant.findFirst({
      where: { note, revokedAt: null, expiresAt: { gt: new Date(Date.now() + 86_400_000) } },
    });
    const parsed = grantCreateSchema.parse({ ...input, origins: portalOrigins, note });
    const { row, credential } = existing
      ? await reissueGrant(scope, existing.id)
      : await createGrant(actor, parsed);
    // A grant made by an older demo for other origins is kept in step with this one.
    if (existing)
      await db().embedGrant.update({
        where: { id: row.id },
        data: { origins: JSON.stringify(parsed.origins) },
      });
    out.set(key, { key, id: row.id, mode: credential.type, credential: credential.value });
  }
  return out;
}

/** What a portal backend does per page view (the same steps as the docs' Node example). */
function signToken(grantId: string, secret: string, params: Record<string, string>): string {
  const b64 = (v: unknown) =>
    Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: "HS256", typ: "JWT", kid: grantId });
  const claims = b64({ aud: EMBED_AUDIENCE, grant: grantId, iat: now, exp: now + 600, params });
  const sig = createHmac("sha256", secret).update(`${header}.${claims}`).digest("base64url");
  return `${header}.${claims}.${sig}`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function frame(src: string, title: string, w: number, h: number): string {
  return `<figure><iframe src="${esc(src)}" width="${w}" height="${h}" title="${esc(title)}" loading="lazy"></iframe><figcaption>${esc(title)}</figcaption></figure>`;
}

function page(outpost: string, grants: Map<string, PortalGrant>, store: string, theme: string): string {
  const url = (g: PortalGrant | undefined, params: Record<string, string>, w: number, h: number) => {
    if (!g) return "about:blank";
    const token = g.mode === "link" ? g.credential : signToken(g.id, g.credential, params);
    return `${outpost}/embed/${token}?theme=${theme}&w=${w}&h=${h}`;
  };
  const options = STORES.map(
    (s) => `<option value="${s}"${s === store ? " selected" : ""}>${s}</option>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northwind operations portal (example)</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:${theme === "dark" ? "#10151c;color:#e8edf2" : "#eef1f5;color:#1b2430"}}
header{background:#1d3557;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:18px 24px;display:grid;gap:18px}section{background:${theme === "dark" ? "#18202b" : "#fff"};border-radius:8px;padding:14px 18px}
.row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}figure{margin:0}figcaption{font-size:12px;opacity:.7;margin-top:4px}
iframe{border:1px solid #c9d2dc;border-radius:6px;background:transparent}code{font-size:13px}
</style></head><body>
<header><h1>Northwind operations portal</h1><div>An example third-party portal embedding live Outpost views (no Outpost login, no cookies).</div></header>
<main>
<section><h2>North Sea Wind 1 — link mode</h2><p>Pasted once from Outpost's Embed dialog; the URL carries a token bound to the grant. Revoking it in Outpost turns these frames into “revoked” within seconds.</p>
<div class="row">${frame(url(grants.get("farm-temperature"), {}, 640, 300), "Board temperature (link mode)", 640, 300)}
${frame(url(grants.get("farm-status"), {}, 320, 200), "Site status card (link mode)", 320, 200)}</div></section>
<section><h2>Your store — signed mode</h2><p>This portal's backend signed a 10-minute token for this page view with the grant's secret, choosing the store per viewer (<code>params.site</code>); Outpost checks the store is inside the grant (all stores).</p>
<form method="get"><label>Viewer's store <select name="store" onchange="this.form.submit()">${options}</select></label> <label>Theme <select name="theme" onchange="this.form.submit()"><option${theme === "light" ? " selected" : ""}>light</option><option${theme === "dark" ? " selected" : ""}>dark</option></select></label></form>
<div class="row">${frame(url(grants.get("store-status"), { site: store }, 320, 220), `Status of ${store} (signed mode)`, 320, 220)}
${frame(url(grants.get("store-strip"), {}, 420, 200), "All stores by state (signed mode)", 420, 200)}</div></section>
</main></body></html>`;
}

export interface DemoPortal {
  url: string;
  stop(): Promise<void>;
}

/** Serves the example portal; `outpostUrl` is where browsers reach the dashboard. */
export async function startDemoPortal(options: { outpostUrl: string; port: number }): Promise<DemoPortal> {
  const origin = `http://127.0.0.1:${options.port}`;
  const grants = await portalGrants([origin, `http://localhost:${options.port}`]);
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", origin);
    if (u.pathname !== "/") {
      res.writeHead(404).end("not found");
      return;
    }
    const store = STORES.includes(u.searchParams.get("store") ?? "")
      ? (u.searchParams.get("store") as string)
      : (STORES[0] ?? "");
    const theme = u.searchParams.get("theme") === "dark" ? "dark" : "light";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(page(options.outpostUrl, grants, store, theme));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return { url: `${origin}/`, stop: () => new Promise((r) => server.close(() => r())) };
}
