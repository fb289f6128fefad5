import "server-only";
import { linkKey, loadGrantRecord } from "./grants";
import { type RefusalText, refusalText } from "./messages";
import type { RefusalReason } from "./model";
import { isOriginAllowed } from "./origins";
import { takeGrantRate } from "./rate-limit-store";
import { LOCKED_QUERY_KEYS } from "./schemas";
import type { ViewerParams } from "./scope";
import { recordDenial, recordUse } from "./usage";
import { type GrantRecord, verifyEmbedToken } from "./verify";

// The gate of every embed request (page, frame refresh, data, CSV): the token
// is verified against its grant (revocation and expiry on every request), the
// framing origin checked where the browser tells it, locked parameters
// refused, the grant's rate limit applied and the use counted. Nothing here
// reads a cookie or an Authorization header: the token in the path is the
// only credential, and it never reaches a log or the audit trail.

/** "preview": the grant dialog, before a grant exists (session zone, never audited as a denial). */
export type Surface = "page" | "frame" | "data" | "csv" | "preview";

export interface EmbedAccess {
  grant: GrantRecord;
  params: ViewerParams;
  tokenExpiresAt: number | null;
}

export class EmbedRefusal extends Error {
  readonly reason: RefusalReason;
  readonly grantId: string | null;
  readonly text: RefusalText;
  /** the origin to let frame the error page (it carries no data) */
  readonly origin: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(
    reason: RefusalReason,
    detail: string,
    opts: {
      grantId?: string | null;
      expiredAt?: number;
      origin?: string | null;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(detail);
    this.name = "EmbedRefusal";
    this.reason = reason;
    this.grantId = opts.grantId ?? null;
    this.origin = opts.origin ?? null;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? null;
    this.text = refusalText(reason, opts);
  }
}

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const o = new URL(url).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

/** Audits the refusal (throttled) and hands it back for throwing. */
export function deny(refusal: EmbedRefusal, surface: Surface, origin: string | null): EmbedRefusal {
  if (surface === "preview") return refusal;
  void recordDenial({
    grantId: refusal.grantId,
    reason: refusal.reason,
    message: refusal.message,
    surface,
    origin,
  });
  return refusal;
}

export async function authorizeEmbed(
  req: Request,
  token: string,
  surface: Surface,
  now = Date.now(),
): Promise<EmbedAccess> {
  const referrer = originOf(req.headers.get("referer"));
  const result = await verifyEmbedToken(token, {
    linkKey: linkKey(),
    now,
    loadGrant: (id) => loadGrantRecord(id, now),
  });
  if (!result.ok) {
    throw deny(
      new EmbedRefusal(result.reason, result.message, {
        grantId: result.grant?.id ?? null,
        expiredAt: result.expiredAt,
      }),
      surface,
      referrer,
    );
  }
  const { grant } = result;
  if (surface === "page") {
    // Top-level navigation: someone opened the iframe URL in a tab (a copied link).
    if (req.headers.get("sec-fetch-dest") === "document")
      throw deny(
        new EmbedRefusal("origin", "opened outside a frame", { grantId: grant.id }),
        surface,
        referrer,
      );
    // A framing page that sent its origin: refuse a portal not in the grant with words it can show.
    if (referrer && !isOriginAllowed(referrer, grant.origins))
      throw deny(
        new EmbedRefusal("origin", `framed by ${referrer}`, { grantId: grant.id, origin: referrer }),
        surface,
        referrer,
      );
  }
  const query = new URL(req.url).searchParams;
  const locked = LOCKED_QUERY_KEYS.find((k) => query.has(k));
  if (locked)
    throw deny(
      new EmbedRefusal("locked", `query parameter "${locked}" is fixed by the grant`, { grantId: grant.id }),
      surface,
      referrer,
    );
  const rate = await takeGrantRate(grant.id, grant.rateLimitPerMinute, now);
  if (!rate.ok)
    throw deny(
      new EmbedRefusal("rate-limited", `over ${grant.rateLimitPerMinute} requests/min`, {
        grantId: grant.id,
        retryAfterSeconds: rate.retryAfterSeconds,
      }),
      surface,
      referrer,
    );
  recordUse(grant.id, now);
  return { grant, params: result.params, tokenExpiresAt: result.tokenExpiresAt };
}
