// Escaped HTML for the server-rendered embeds. Every interpolation is escaped
// unless it is already SafeHtml (made by this tag), so a site name like
// `<script>` arrives as text. Embeds are rendered without React on purpose:
// an embed page must stay far below Next's client runtime in size.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return "";
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  if (typeof part === "number") return Number.isFinite(part) ? String(part) : "";
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** Marks text produced by trusted code (e.g. a number formatted for an SVG path) as markup. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** JSON inside a <script type="application/json">: `<` escaped so "</script>" cannot end it. */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(value)
      .replace(/</g, "\\u003c")
      .replace(/\u2028|\u2029/g, ""),
  );
}
