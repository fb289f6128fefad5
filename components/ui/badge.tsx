import type { ReactNode } from "react";

export type Tone = "ok" | "warn" | "danger" | "info" | "neutral";

const ICONS: Record<Tone, string> = { ok: "✔", warn: "▲", danger: "✖", info: "●", neutral: "○" };

/** A state marker that never relies on colour alone: icon + word. */
export function Badge({ tone, children, icon }: { tone: Tone; children: ReactNode; icon?: string }) {
  return (
    <span className={tone === "neutral" ? "badge" : `badge badge--${tone}`}>
      <span aria-hidden="true">{icon ?? ICONS[tone]}</span>
      {children}
    </span>
  );
}
