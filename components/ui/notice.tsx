import type { ReactNode } from "react";
import type { Tone } from "./badge";

const ICONS: Record<Exclude<Tone, "neutral">, string> = { ok: "✔", warn: "▲", danger: "✖", info: "ℹ" };
const WORDS: Record<Exclude<Tone, "neutral">, string> = {
  ok: "Success",
  warn: "Warning",
  danger: "Error",
  info: "Note",
};

export function Notice({
  tone,
  title,
  children,
  role,
  testId,
}: {
  tone: Exclude<Tone, "neutral">;
  title: ReactNode;
  children?: ReactNode;
  /** "alert" for errors that appear after an action, "status" for results */
  role?: "alert" | "status";
  testId?: string;
}) {
  return (
    <div className={`notice notice--${tone}`} role={role} data-testid={testId}>
      <p className="notice-title">
        <span aria-hidden="true">{ICONS[tone]}</span>
        <span className="visually-hidden">{WORDS[tone]}: </span>
        {title}
      </p>
      {children}
    </div>
  );
}
