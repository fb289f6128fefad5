import { EMBED_AUDIENCE, type EmbedTheme, SIGNED_TOKEN_MAX_SECONDS } from "./model";

// What the Embed dialog hands to a portal developer: the iframe URL, the
// ready-to-paste <iframe>, and for signed mode a 10-line example of signing a
// token in Node and with curl/openssl. No server imports (used by the dialog).

export interface FrameOptions {
  theme: EmbedTheme;
  width: number;
  height: number;
  range?: string;
}

export function embedUrl(base: string, token: string, o: FrameOptions): string {
  const q = new URLSearchParams({ theme: o.theme, w: String(o.width), h: String(o.height) });
  if (o.range) q.set("range", o.range);
  return `${base.replace(/\/$/, "")}/embed/${token}?${q}`;
}

function attr(v: string): string {
  return v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

export function iframeSnippet(src: string, o: { width: number; height: number; title: string }): string {
  return `<iframe src="${attr(src)}" width="${o.width}" height="${o.height}" title="${attr(o.title)}" style="border:0" loading="lazy"></iframe>`;
}

/** The signed-mode iframe with a placeholder where the portal puts its freshly signed token. */
export const SIGNED_TOKEN_PLACEHOLDER = "SIGNED_TOKEN";

export function signedClaims(grantId: string, params: Record<string, string>): string {
  const p = Object.keys(params).length ? `, params: ${JSON.stringify(params)}` : "";
  return `{ aud: "${EMBED_AUDIENCE}", grant: "${grantId}", iat: now, exp: now + 600${p} }`;
}

/** Signing in a portal's Node backend with node:crypto only (no JWT library needed). */
export function nodeExample(base: string, grantId: string, params: Record<string, string>): string {
  return [
    `import { createHmac } from "node:crypto";`,
    `const secret = process.env.OUTPOST_EMBED_SECRET; // shown once when the grant was made`,
    `const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");`,
    `const now = Math.floor(Date.now() / 1000);`,
    `const header = b64({ alg: "HS256", typ: "JWT", kid: "${grantId}" });`,
    `const claims = b64(${signedClaims(grantId, params)}); // exp ≤ ${SIGNED_TOKEN_MAX_SECONDS / 60} min`,
    `const sig = createHmac("sha256", secret).update(\`\${header}.\${claims}\`).digest("base64url");`,
    `const token = \`\${header}.\${claims}.\${sig}\`;`,
    `const src = \`${base.replace(/\/$/, "")}/embed/\${token}?theme=auto\`;`,
    `// render <iframe src={src} width="600" height="300" title="…"></iframe> for this viewer`,
  ].join("\n");
}

/** The same with a shell: openssl for the HMAC, curl to fetch the data (or paste the URL in an iframe). */
export function shellExample(base: string, grantId: string, params: Record<string, string>): string {
  const p = Object.keys(params).length ? `,"params":${JSON.stringify(params)}` : "";
  return [
    `SECRET='oes_…'   # the grant's secret, shown once`,
    `b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }`,
    `NOW=$(date +%s); EXP=$((NOW + 600))   # at most ${SIGNED_TOKEN_MAX_SECONDS / 60} min`,
    `HEADER=$(printf '{"alg":"HS256","typ":"JWT","kid":"${grantId}"}' | b64)`,
    `CLAIMS=$(printf '{"aud":"${EMBED_AUDIENCE}","grant":"${grantId}","iat":%s,"exp":%s${p.replace(/%/g, "%%")}}' "$NOW" "$EXP" | b64)`,
    `SIG=$(printf '%s' "$HEADER.$CLAIMS" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64)`,
    `TOKEN="$HEADER.$CLAIMS.$SIG"`,
    `curl -s "${base.replace(/\/$/, "")}/api/embed/$TOKEN/data"            # JSON`,
    `curl -s "${base.replace(/\/$/, "")}/api/embed/$TOKEN/data?format=csv" # CSV`,
    `echo "${base.replace(/\/$/, "")}/embed/$TOKEN?theme=auto"           # the iframe src`,
  ].join("\n");
}
