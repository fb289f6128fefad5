import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { embedDocument } from "@/components/embed/document";
import { errorBody, type FrameView, frameBody } from "@/components/embed/frame";
import { zodIssues } from "@/lib/api/handler";
import { refuseUnknownQuery } from "@/lib/api/parse";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { authorizeEmbed, EmbedRefusal, type Surface } from "./access";
import { csvFilename, embedCsv } from "./csv";
import { embedPayload } from "./data";
import { dataHeaders, fragmentHeaders, pageHeaders } from "./headers";
import { EMBED_KIND_LABELS, type EmbedRange, MIN_EMBED_HEIGHT, MIN_EMBED_WIDTH } from "./model";
import { embedDataQuerySchema, embedViewQuerySchema } from "./schemas";
import type { EmbedErrorBody, EmbedPayload } from "./types";

// The three token surfaces: the page (first paint, framed by a portal), the
// fragment the frame script refreshes with, and the data route (JSON or CSV).
// Every one runs the same gate (authorizeEmbed) on every request, so a
// revocation or an expiry is answered within a second, CSV included.

const TOKEN = /^[A-Za-z0-9._-]{1,4096}$/;
const DEFAULT_W = 600;
const DEFAULT_H = 300;

const tzSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "an IANA time zone, e.g. Europe/Madrid")
  .optional();

const viewQuery = embedViewQuerySchema.extend({ tz: tzSchema });

class BadInput extends Error {}

/** Unknown parameters are refused (400, the API's rule), bad values named (422). */
function parseQuery<S extends z.ZodObject>(schema: S, req: Request): z.infer<S> {
  const params = new URL(req.url).searchParams;
  refuseUnknownQuery(params, schema);
  const r = schema.safeParse(Object.fromEntries(params));
  if (!r.success) {
    const issues = zodIssues(r.error);
    throw new BadInput(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "));
  }
  return r.data;
}

function checkToken(token: string): void {
  // Malformed tokens never reach a lookup (and never a log).
  if (!TOKEN.test(token)) throw new EmbedRefusal("invalid", "malformed token");
}

function nonce(): string {
  return randomBytes(16).toString("base64");
}

function view(
  q: { theme: "light" | "dark" | "auto"; w?: number; h?: number; tz?: string },
  hrefs: { rangeHref: (r: EmbedRange) => string; csvHref: (range?: EmbedRange) => string | null },
  range?: EmbedRange,
): FrameView {
  return {
    width: Math.max(MIN_EMBED_WIDTH, q.w ?? DEFAULT_W),
    height: Math.max(MIN_EMBED_HEIGHT, q.h ?? DEFAULT_H),
    timeZone: q.tz ?? "UTC",
    rangeHref: hrefs.rangeHref,
    csvHref: hrefs.csvHref(range),
  };
}

function titleOf(p: EmbedPayload): string {
  const where = p.kind === "fleet-strip" ? "Fleet" : p.site.name;
  return `${EMBED_KIND_LABELS[p.kind]} · ${where} — Outpost`;
}

function refusalHtml(r: EmbedRefusal, theme: "light" | "dark" | "auto", surface: "page" | "frame"): Response {
  const body = errorBody(r.text.title, {
    isTerminal: r.text.isTerminal,
    retryAfterSeconds: r.retryAfterSeconds,
  });
  const n = nonce();
  const headers: Record<string, string> =
    surface === "frame"
      ? fragmentHeaders()
      : // The error carries no data: let the portal that framed it show the words.
        pageHeaders(n, r.origin ? [r.origin] : []);
  if (r.retryAfterSeconds) headers["retry-after"] = String(r.retryAfterSeconds);
  const text =
    surface === "frame"
      ? body.value
      : embedDocument({
          title: "Embed unavailable — Outpost",
          theme,
          nonce: n,
          body,
          frameUrl: null,
          timeZone: "UTC",
        });
  return new Response(text, { status: r.text.status, headers });
}

function refusalJson(r: EmbedRefusal): Response {
  const body: EmbedErrorBody = {
    error: { code: r.text.code, reason: r.reason, message: `${r.text.title} (${r.message})` },
  };
  const headers = dataHeaders("application/json");
  if (r.retryAfterSeconds) headers["retry-after"] = String(r.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status: r.text.status, headers });
}

function failure(err: unknown, surface: Surface, theme: "light" | "dark" | "auto" = "auto"): Response {
  if (err instanceof EmbedRefusal)
    return surface === "page" || surface === "frame" ? refusalHtml(err, theme, surface) : refusalJson(err);
  const isUnknownParam = isAppError(err) && err.code === "bad_request";
  const isBad = err instanceof BadInput || isUnknownParam;
  const isMissing = isAppError(err) && err.code === "not_found";
  if (!isBad && !isMissing)
    // The URL (and its token) stays out of the log: only what failed.
    log.error("embed request failed", { surface, error: err instanceof Error ? err.message : String(err) });
  const status = isUnknownParam ? 400 : isBad ? 422 : isMissing ? 404 : 500;
  const message = isBad
    ? `Invalid query: ${(err as Error).message}`
    : isMissing
      ? "Not found"
      : "Internal error";
  if (surface === "data" || surface === "csv") {
    const body: EmbedErrorBody = {
      error: {
        code: isUnknownParam ? "bad_request" : isBad ? "validation_failed" : "not_found",
        reason: "bad-input",
        message,
      },
    };
    return new Response(JSON.stringify(body), { status, headers: dataHeaders("application/json") });
  }
  const body = errorBody(isBad ? message : "This embed could not be shown", { isTerminal: isBad });
  if (surface === "frame") return new Response(body.value, { status, headers: fragmentHeaders() });
  const n = nonce();
  return new Response(
    embedDocument({
      title: "Embed unavailable — Outpost",
      theme,
      nonce: n,
      body,
      frameUrl: null,
      timeZone: "UTC",
    }),
    { status, headers: pageHeaders(n, []) },
  );
}

function themeOf(req: Request): "light" | "dark" | "auto" {
  const t = new URL(req.url).searchParams.get("theme");
  return t === "light" || t === "dark" ? t : "auto";
}

function hrefsFor(token: string, q: { theme: string; w?: number; h?: number }) {
  const base = `/embed/${encodeURIComponent(token)}`;
  const keep = (range: EmbedRange) => {
    const p = new URLSearchParams({ range, theme: q.theme });
    if (q.w) p.set("w", String(q.w));
    if (q.h) p.set("h", String(q.h));
    return `${base}?${p}`;
  };
  return {
    rangeHref: keep,
    csvHref: (range?: EmbedRange) =>
      `/api/embed/${encodeURIComponent(token)}/data?${new URLSearchParams({ format: "csv", ...(range ? { range } : {}) })}`,
    frameUrl: (range?: EmbedRange) =>
      `${base}/frame?${new URLSearchParams({ theme: q.theme, ...(range ? { range } : {}) })}`,
  };
}

function originOf(req: Request): string | null {
  try {
    const r = req.headers.get("referer");
    return r ? new URL(r).origin : null;
  } catch {
    return null;
  }
}

/** GET /embed/<token>: the page a portal frames. */
export async function servePage(req: Request, token: string): Promise<Response> {
  const theme = themeOf(req);
  try {
    checkToken(token);
    const access = await authorizeEmbed(req, token, "page");
    const q = parseQuery(viewQuery, req);
    const payload = await embedPayload(access, {
      range: q.range,
      width: q.w ?? DEFAULT_W,
      surface: "page",
      origin: originOf(req),
    });
    const range = "range" in payload ? payload.range : undefined;
    const hrefs = hrefsFor(token, q);
    const n = nonce();
    return new Response(
      embedDocument({
        title: titleOf(payload),
        theme: q.theme,
        nonce: n,
        body: frameBody(payload, view(q, hrefs, range)),
        frameUrl: hrefs.frameUrl(range),
        timeZone: q.tz ?? "UTC",
      }),
      { status: 200, headers: pageHeaders(n, access.grant.origins) },
    );
  } catch (err) {
    return failure(err, "page", theme);
  }
}

/** GET /embed/<token>/frame: the refreshed inside of the frame. */
export async function serveFrame(req: Request, token: string): Promise<Response> {
  try {
    checkToken(token);
    const access = await authorizeEmbed(req, token, "frame");
    const q = parseQuery(viewQuery, req);
    const payload = await embedPayload(access, {
      range: q.range,
      width: q.w ?? DEFAULT_W,
      surface: "frame",
      origin: null,
    });
    const range = "range" in payload ? payload.range : undefined;
    return new Response(frameBody(payload, view(q, hrefsFor(token, q), range)).value, {
      status: 200,
      headers: fragmentHeaders(),
    });
  } catch (err) {
    return failure(err, "frame");
  }
}

/** GET /api/embed/<token>/data[?format=csv]: what the embed shows, as JSON or CSV. */
export async function serveData(req: Request, token: string): Promise<Response> {
  const isCsv = new URL(req.url).searchParams.get("format") === "csv";
  const surface: Surface = isCsv ? "csv" : "data";
  try {
    checkToken(token);
    const access = await authorizeEmbed(req, token, surface);
    const q = parseQuery(embedDataQuerySchema, req);
    const payload = await embedPayload(access, { range: q.range, width: q.width, surface, origin: null });
    if (q.format === "csv")
      return new Response(embedCsv(payload), {
        status: 200,
        headers: {
          ...dataHeaders("text/csv; charset=utf-8"),
          "content-disposition": `attachment; filename="${csvFilename(payload)}"`,
        },
      });
    return new Response(JSON.stringify(payload), { status: 200, headers: dataHeaders("application/json") });
  } catch (err) {
    return failure(err, surface);
  }
}
