import "server-only";
import { randomBytes } from "node:crypto";
import { embedDocument } from "@/components/embed/document";
import { errorBody, frameBody } from "@/components/embed/frame";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { EmbedRefusal } from "./access";
import { embedPayload } from "./data";
import { fragmentHeaders, pageHeaders } from "./headers";
import { EMBED_KIND_LABELS, type EmbedRange, isSiteEmbed, MIN_EMBED_HEIGHT, MIN_EMBED_WIDTH } from "./model";
import type { PreviewQuery } from "./schemas";
import type { GrantRecord } from "./verify";

// The Embed dialog's live preview (session zone, framed by Outpost itself):
// the exact renderer and data path of an embed, for a grant not yet made.

function isTimeZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function servePreview(req: Request, q: PreviewQuery): Promise<Response> {
  let site: { id: string; slug: string; name: string } | null = null;
  if (isSiteEmbed(q.kind)) {
    if (!q.site)
      throw new AppError("validation_failed", "Choose a site", {
        issues: [{ path: "site", message: "is required" }],
      });
    site = await db().site.findFirst({
      where: { OR: [{ id: q.site }, { slug: q.site }] },
      select: { id: true, slug: true, name: true },
    });
    if (!site) throw new AppError("not_found", "Site not found");
  }
  const ranges: EmbedRange[] = q.ranges?.length ? q.ranges : [q.range];
  const grant: GrantRecord = {
    id: "preview",
    kind: q.kind,
    mode: "link",
    site,
    filter:
      q.kind === "fleet-strip"
        ? { ...(q.filterKind ? { kind: q.filterKind } : {}), ...(q.label ? { label: q.label } : {}) }
        : {},
    metric: q.metric ?? null,
    ranges: ranges.includes(q.range) ? ranges : [...ranges, q.range],
    defaultRange: q.range,
    origins: [],
    expiresAt: Number.MAX_SAFE_INTEGER,
    revokedAt: null,
    isOwnerDisabled: false,
    tokenHash: null,
    rateLimitPerMinute: Number.MAX_SAFE_INTEGER,
    secret: () => null,
  };
  const width = Math.max(MIN_EMBED_WIDTH, q.w ?? 600);
  const height = Math.max(MIN_EMBED_HEIGHT, q.h ?? 300);
  const timeZone = isTimeZone(q.tz) ? q.tz : "UTC";
  const url = new URL(req.url);
  const self = (over: Record<string, string>) => {
    const p = new URLSearchParams(url.search);
    p.delete("fragment");
    for (const [k, v] of Object.entries(over)) p.set(k, v);
    p.delete("w");
    p.delete("h");
    p.delete("tz");
    return `${url.pathname}?${p}`;
  };
  let body: ReturnType<typeof frameBody>;
  let title = `${EMBED_KIND_LABELS[q.kind]} preview — Outpost`;
  try {
    const payload = await embedPayload(
      { grant, params: {}, tokenExpiresAt: null },
      { range: q.range, width, surface: "preview", origin: null },
    );
    body = frameBody(payload, {
      width,
      height,
      timeZone,
      rangeHref: (r) => self({ range: r }),
      csvHref: null,
    });
    title = `${EMBED_KIND_LABELS[q.kind]} preview · ${site?.name ?? "Fleet"} — Outpost`;
  } catch (err) {
    if (!(err instanceof EmbedRefusal)) throw err;
    body = errorBody(err.text.title, { isTerminal: false });
  }
  if (q.fragment) return new Response(body.value, { status: 200, headers: fragmentHeaders() });
  const nonce = randomBytes(16).toString("base64");
  return new Response(
    embedDocument({ title, theme: q.theme, nonce, body, frameUrl: self({ fragment: "1" }), timeZone }),
    { status: 200, headers: pageHeaders(nonce, ["'self'"]) },
  );
}
