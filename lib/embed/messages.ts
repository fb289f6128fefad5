import type { RefusalReason } from "./model";

// What a viewer reads inside the frame, and what the HTTP answer is, for each
// way an embed can be refused. Terminal refusals stop the frame's refreshing.

export interface RefusalText {
  status: 401 | 403 | 422 | 429;
  code: "unauthenticated" | "forbidden" | "rate_limited" | "validation_failed";
  title: string;
  /** true: asking again cannot help, the frame stops refreshing */
  isTerminal: boolean;
}

function utcDay(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function refusalText(
  reason: RefusalReason,
  opts: { expiredAt?: number; origin?: string | null; retryAfterSeconds?: number } = {},
): RefusalText {
  switch (reason) {
    case "invalid":
      return {
        status: 401,
        code: "unauthenticated",
        title: "This embed link is invalid (token invalid)",
        isTerminal: true,
      };
    case "token-expired":
      return {
        status: 401,
        code: "unauthenticated",
        title: `This embed link expired${opts.expiredAt ? ` on ${utcDay(opts.expiredAt)}` : ""}; reload the page for a new one`,
        isTerminal: true,
      };
    case "revoked":
      return { status: 403, code: "forbidden", title: "This embed link was revoked", isTerminal: true };
    case "expired":
      return {
        status: 403,
        code: "forbidden",
        title: `This embed expired on ${opts.expiredAt ? utcDay(opts.expiredAt) : "its expiry date"}`,
        isTerminal: true,
      };
    case "disabled":
      return {
        status: 403,
        code: "forbidden",
        title: "This embed was switched off (its owner's account is disabled)",
        isTerminal: true,
      };
    case "origin":
      return {
        status: 403,
        code: "forbidden",
        title: opts.origin
          ? `This embed is not allowed on this site (origin ${opts.origin})`
          : "This embed is not allowed on this site (origin): it only shows inside the portals it was made for",
        isTerminal: true,
      };
    case "scope":
      return {
        status: 403,
        code: "forbidden",
        title: "This embed does not cover what was asked for",
        isTerminal: true,
      };
    case "locked":
      return {
        status: 403,
        code: "forbidden",
        title: "This embed's site, chart and time window are fixed",
        isTerminal: true,
      };
    case "range":
      return {
        status: 403,
        code: "forbidden",
        title: "This time range is not allowed for this embed",
        isTerminal: false,
      };
    case "rate-limited":
      return {
        status: 429,
        code: "rate_limited",
        title: `Too many requests for this embed; trying again in ${opts.retryAfterSeconds ?? 60} s`,
        isTerminal: false,
      };
  }
}
