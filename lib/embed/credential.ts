import "server-only";
import type { IssuedCredential } from "./grants";
import { EMBED_KIND_LABELS } from "./model";
import { embedUrl, iframeSnippet, SIGNED_TOKEN_PLACEHOLDER } from "./snippet";
import type { EmbedCredential, EmbedGrantView } from "./types";

/** Snippet size: comfortable for every kind; each renders down to 300 × 200. */
export const SNIPPET_SIZE = { width: 600, height: 300 } as const;

function titleOf(grant: EmbedGrantView): string {
  return `${EMBED_KIND_LABELS[grant.kind]}${grant.site ? ` · ${grant.site.name}` : ""} (Outpost)`;
}

/** The one-time answer: token or secret, the iframe URL and the snippet to paste. */
export function credentialView(
  base: string,
  grant: EmbedGrantView,
  issued: IssuedCredential,
): EmbedCredential {
  const frame = { theme: "auto" as const, ...SNIPPET_SIZE };
  if (issued.type === "link") {
    const url = embedUrl(base, issued.value, frame);
    return {
      type: "link",
      token: issued.value,
      url,
      snippet: iframeSnippet(url, { ...SNIPPET_SIZE, title: titleOf(grant) }),
    };
  }
  const urlTemplate = embedUrl(base, SIGNED_TOKEN_PLACEHOLDER, frame);
  return {
    type: "signed",
    secret: issued.value,
    urlTemplate,
    snippet: iframeSnippet(urlTemplate, { ...SNIPPET_SIZE, title: titleOf(grant) }),
  };
}
