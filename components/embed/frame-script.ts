// The only script an embed page runs (inline, nonce'd, a few KB): it swaps in
// a fresh server-rendered fragment every refresh interval, keeps "as of" ages
// ticking between refreshes on the server's clock, greys the frame once its
// data is three refreshes old (the main UI's rule), follows the frame's size,
// and stops for good on a terminal refusal (revoked, expired, invalid).
// Each function below is serialised with Function.prototype.toString, so
// none may use imports or module-level names.

/** "45 s", "12 m", "2 h 14 m", "3 d 4 h" — lib/health/format.ts formatDuration (frame-script.test.ts keeps them equal). */
export function durationText(ms: number): string {
  const t = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (t < 60_000) return `${Math.floor(t / 1_000)} s`;
  if (t < 3_600_000) return `${Math.floor(t / 60_000)} m`;
  if (t < 86_400_000) {
    const h = Math.floor(t / 3_600_000);
    const m = Math.floor((t % 3_600_000) / 60_000);
    return m === 0 ? `${h} h` : `${h} h ${m} m`;
  }
  const d = Math.floor(t / 86_400_000);
  const h = Math.floor((t % 86_400_000) / 3_600_000);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** "just now" / "12 s ago" — lib/health/format.ts formatAgo. */
export function agoText(ms: number, duration: (ms: number) => string): string {
  return ms < 1_000 ? "just now" : `${duration(ms)} ago`;
}

interface FrameConfig {
  /** the fragment URL (relative), without w/h/tz */
  frameUrl: string;
  timeZone: string;
}

export function frameMain(
  duration: (ms: number) => string,
  ago: (ms: number, d: (ms: number) => string) => string,
): void {
  const rootEl = document.getElementById("eb-root");
  const configEl = document.getElementById("eb-config");
  if (!rootEl || !configEl) return;
  const root: HTMLElement = rootEl;
  const config = JSON.parse(configEl.textContent || "{}") as FrameConfig;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let receivedAt = Date.now();
  let failure: string | null = null;
  let size = { w: window.innerWidth, h: window.innerHeight };

  const state = () => {
    const el = root.firstElementChild as HTMLElement | null;
    const d = el?.dataset ?? {};
    return {
      el,
      generatedAt: Date.parse(d.generatedAt || "") || receivedAt,
      refreshMs: Number(d.refreshMs) || 30_000,
      oldAfterMs: Number(d.oldAfterMs) || 90_000,
      isTerminal: d.terminal === "1",
      retryAfterMs: (Number(d.retryAfter) || 0) * 1_000,
    };
  };

  const tick = () => {
    const s = state();
    if (!s.el) return;
    const now = Date.now();
    const serverNow = s.generatedAt + (now - receivedAt);
    for (const node of Array.from(root.querySelectorAll<HTMLElement>("[data-at]"))) {
      const at = Date.parse(node.dataset.at || "");
      if (Number.isNaN(at)) continue;
      const age = Math.max(0, serverNow - at);
      node.textContent = `${node.dataset.prefix || ""}${node.dataset.mode === "duration" ? duration(age) : ago(age, duration)}`;
    }
    if (s.isTerminal) return;
    const isOld = now - receivedAt > s.oldAfterMs;
    s.el.classList.toggle("is-outdated", isOld);
    s.el.dataset.outdated = isOld ? "true" : "false";
    const warn = root.querySelector<HTMLElement>("[data-live-warn]");
    if (warn)
      warn.textContent = [
        failure ? `Cannot refresh: ${failure}.` : "",
        isOld ? `Showing data from ${ago(now - receivedAt, duration)}; it may no longer be true.` : "",
      ]
        .filter(Boolean)
        .join(" ");
  };

  const url = () => {
    const u = new URL(config.frameUrl, window.location.href);
    u.searchParams.set("w", String(Math.round(window.innerWidth)));
    u.searchParams.set("h", String(Math.round(window.innerHeight)));
    u.searchParams.set("tz", localZone);
    return u.toString();
  };

  const schedule = (ms?: number) => {
    clearTimeout(timer);
    const s = state();
    if (s.isTerminal) return;
    timer = setTimeout(refresh, ms ?? (s.retryAfterMs || s.refreshMs));
  };

  async function refresh(): Promise<void> {
    if (document.hidden) return schedule();
    try {
      // No cookies, no referrer: the token in the URL is the only credential.
      const res = await fetch(url(), {
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
      const text = await res.text();
      if (res.headers.get("x-embed-fragment") === "1") {
        root.innerHTML = text;
        receivedAt = Date.now();
        failure = null;
      } else failure = `HTTP ${res.status}`;
    } catch {
      failure = "Outpost did not answer";
    }
    tick();
    schedule();
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && Date.now() - receivedAt > state().refreshMs) void refresh();
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      const next = { w: window.innerWidth, h: window.innerHeight };
      if (Math.abs(next.w - size.w) >= 40 || Math.abs(next.h - size.h) >= 30) {
        size = next;
        void refresh();
      }
    }, 300);
  });
  setInterval(tick, 1_000);
  tick();
  // First paint was rendered for the snippet's size in UTC: redraw at once for this frame and zone.
  const first = state();
  const isWrongSize =
    Math.abs(Number(first.el?.dataset.w || 0) - size.w) >= 40 ||
    Math.abs(Number(first.el?.dataset.h || 0) - size.h) >= 30;
  schedule(config.timeZone !== localZone || isWrongSize ? 0 : undefined);
}

export const FRAME_SCRIPT = `(${frameMain.toString()})(${durationText.toString()}, ${agoText.toString()});`;
