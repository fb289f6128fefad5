import { EMBED_CSS } from "./embed-css";
import { FRAME_SCRIPT } from "./frame-script";
import { html, jsonForScript, type SafeHtml, trusted } from "./html";

// Constants of our own, raw text inside <style>/<script>: escaping would break them.
const STYLE = trusted(EMBED_CSS);
const SCRIPT = trusted(FRAME_SCRIPT);

// The whole embed page: inline stylesheet and script (both under a per-response
// nonce, nothing else may run or style), the fragment, and the frame config.

export interface EmbedDocument {
  title: string;
  theme: "light" | "dark" | "auto";
  nonce: string;
  body: SafeHtml;
  /** where the frame script fetches its refreshes; null: no refreshing (terminal errors) */
  frameUrl: string | null;
  timeZone: string;
}

export function embedDocument(d: EmbedDocument): string {
  return `<!doctype html>${html`<html lang="en" class="theme-${d.theme}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${d.title}</title><style nonce="${d.nonce}">${STYLE}</style></head><body><main id="eb-root">${d.body}</main>${
    d.frameUrl
      ? html`<script type="application/json" id="eb-config">${jsonForScript({ frameUrl: d.frameUrl, timeZone: d.timeZone })}</script><script nonce="${d.nonce}">${SCRIPT}</script>`
      : null
  }</body></html>`}`;
}
