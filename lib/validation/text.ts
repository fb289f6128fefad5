import { z } from "zod";

// Names people type (sites, tokens, data sources, label values) are shown to other
// people: control characters, bidi overrides and invisible characters let one name
// look like another ("admin" with a zero-width space, "gpj.exe" reversed by U+202E).
// Refused with the character named; the rest is NFC-normalised so that "é" typed two
// ways is one name. Shared by the API schemas and the forms.

const FORBIDDEN: [RegExp, string][] = [
  [/\p{Cc}/u, "a control character"],
  [/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, "a bidirectional formatting character"],
  // The other format characters: zero-width space/joiners, word joiner, BOM, soft hyphen, tags.
  [/\p{Cf}/u, "an invisible formatting character"],
  [/\p{Cs}/u, "an unpaired surrogate"],
];

/** Why a text is refused ("contains U+202E, a bidirectional formatting character"), or null. */
export function unsafeTextProblem(text: string): string | null {
  for (const [pattern, what] of FORBIDDEN) {
    const m = text.match(pattern);
    if (m?.[0]) {
      const code = m[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
      return `contains U+${code}, ${what}, which is not allowed`;
    }
  }
  return null;
}

/** A display name: trimmed, NFC, 1..max characters, no control/bidi/invisible characters. */
export function nameSchema(max: number) {
  return safeText(
    z.string().trim().normalize("NFC").min(1, "is required").max(max, `at most ${max} characters`),
  );
}

/** Refuses control/bidi/invisible characters in any string schema, naming the character. */
export function safeText(schema: z.ZodString): z.ZodString {
  return schema.superRefine((v, ctx) => {
    const problem = unsafeTextProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}
