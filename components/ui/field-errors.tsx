import type { FieldErrors } from "./field-errors-model";

/** The messages for one field (its own path and any nested path under it). */
export function FieldError({ id, errors, path }: { id: string; errors: FieldErrors; path: string }) {
  const messages = messagesFor(errors, path);
  if (messages.length === 0) return null;
  return (
    <div id={id}>
      {messages.map((m) => (
        <p key={m} className="field-error">
          {m}
        </p>
      ))}
    </div>
  );
}

export function messagesFor(errors: FieldErrors, path: string): string[] {
  const out: string[] = [];
  for (const [p, msgs] of Object.entries(errors)) {
    if (p === path) out.push(...msgs);
    else if (p.startsWith(`${path}.`)) out.push(...msgs.map((m) => `${p.slice(path.length + 1)}: ${m}`));
  }
  return out;
}

export function hasError(errors: FieldErrors, path: string): boolean {
  return messagesFor(errors, path).length > 0;
}
