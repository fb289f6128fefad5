"use client";

import { useId } from "react";
import { CopyBox } from "@/components/ui/copy-box";
import { Notice } from "@/components/ui/notice";
import type { EmbedTheme } from "@/lib/embed/model";
import {
  embedUrl,
  iframeSnippet,
  nodeExample,
  SIGNED_TOKEN_PLACEHOLDER,
  shellExample,
} from "@/lib/embed/snippet";
import type { GrantCreated } from "@/lib/queries/embed-grants";

const SIZE = { width: 600, height: 300 };

/** Renderer: the once-only credential of a new (or reissued) grant, with what to paste. */
export function GrantCredential({ created, theme }: { created: GrantCreated; theme: EmbedTheme }) {
  const uid = useId();
  const { grant, credential } = created;
  const base = new URL(credential.type === "link" ? credential.url : credential.urlTemplate).origin;
  const title = `${grant.site?.name ?? "Fleet"} (Outpost)`;
  if (credential.type === "link") {
    const url = embedUrl(base, credential.token, { theme, ...SIZE });
    return (
      <div className="stack">
        <Notice tone="warn" title="Copy it now: this link is shown once" role="status">
          <p>
            Outpost keeps only a hash of it. Revoke the embed to stop it at once; “New link” replaces it.
            Rotating Outpost's secret key invalidates every embed link.
          </p>
        </Notice>
        <CopyBox label="Embed URL" value={url} />
        <div className="field">
          <label htmlFor={`${uid}-snippet`}>Paste into the portal</label>
          <textarea
            id={`${uid}-snippet`}
            readOnly
            rows={3}
            className="mono"
            value={iframeSnippet(url, { ...SIZE, title })}
            data-testid="embed-snippet"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      </div>
    );
  }
  const params: Record<string, string> = grant.site
    ? {}
    : { site: grant.filter.kind === "store" ? "store-042" : "SITE-SLUG" };
  return (
    <div className="stack">
      <Notice tone="warn" title="Copy the signing secret now: it is shown once" role="status">
        <p>
          Keep it on the portal's server (never in a browser). Tokens signed with it may live at most 15
          minutes; “New secret” replaces it, revoking the embed stops it at once.
        </p>
      </Notice>
      <CopyBox label="Signing secret" value={credential.secret} />
      <p>
        Grant id (the token's <code>kid</code> and <code>grant</code>):{" "}
        <code data-testid="grant-id">{grant.id}</code>
      </p>
      <div className="field">
        <label htmlFor={`${uid}-snippet`}>Iframe (replace {SIGNED_TOKEN_PLACEHOLDER} per viewer)</label>
        <textarea
          id={`${uid}-snippet`}
          readOnly
          rows={3}
          className="mono"
          value={iframeSnippet(embedUrl(base, SIGNED_TOKEN_PLACEHOLDER, { theme, ...SIZE }), {
            ...SIZE,
            title,
          })}
          data-testid="embed-snippet"
        />
      </div>
      <details>
        <summary>Sign a token in Node</summary>
        <pre className="code-block">{nodeExample(base, grant.id, params)}</pre>
      </details>
      <details>
        <summary>Sign a token with curl and openssl</summary>
        <pre className="code-block">{shellExample(base, grant.id, params)}</pre>
      </details>
    </div>
  );
}
