import { useId, useState } from "react";
import type { EffectiveThreshold, ThresholdLevel } from "@/lib/thresholds/chain";
import { describeSource } from "@/lib/thresholds/chain";

// Renderers for the threshold chain: an effective value always comes with the
// level it was set on ("82 °C, set on this site").

export function formatLevel(c: number): string {
  return `${Number.isInteger(c) ? c : c.toFixed(1)} °C`;
}

export function EffectiveValue({
  value,
  viewpoint,
}: {
  value: EffectiveThreshold;
  viewpoint: ThresholdLevel;
}) {
  return (
    <span data-testid="effective-threshold">
      <strong>{formatLevel(value.celsius)}</strong>
      <span className="muted">, {describeSource(value.source, viewpoint)}</span>
      {value.critical ? (
        <span className="muted">
          {" "}
          · critical {formatLevel(value.critical.celsius)} ({describeSource(value.critical.source, viewpoint)}
          )
        </span>
      ) : null}
    </span>
  );
}

/** Set or clear one level's own value. */
export function OverrideEditor({
  label,
  own,
  onSet,
  onClear,
  isBusy,
  error,
}: {
  /** accessible name, e.g. "Threshold for node t07-node" */
  label: string;
  own: number | null;
  onSet: (celsius: number) => void;
  onClear: () => void;
  isBusy: boolean;
  error: string | null;
}) {
  const id = useId();
  const [text, setText] = useState(own === null ? "" : String(own));
  const [local, setLocal] = useState<string | null>(null);
  return (
    <form
      className="toolbar"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(text.replace(",", "."));
        if (text.trim() === "" || !Number.isFinite(value)) {
          setLocal("enter a temperature in °C");
          return;
        }
        setLocal(null);
        onSet(value);
      }}
    >
      <label htmlFor={`${id}-c`} className="visually-hidden">
        {label} (°C)
      </label>
      <input
        id={`${id}-c`}
        inputMode="decimal"
        size={6}
        value={text}
        placeholder="°C"
        onChange={(e) => setText(e.target.value)}
        aria-invalid={Boolean(local ?? error)}
        aria-describedby={`${id}-err`}
      />
      <button type="submit" className="button button--small" disabled={isBusy}>
        Set
      </button>
      {own !== null ? (
        <button
          type="button"
          className="button button--small button--ghost"
          disabled={isBusy}
          onClick={() => {
            setText("");
            onClear();
          }}
        >
          Inherit
        </button>
      ) : null}
      <span id={`${id}-err`} className="field-error" role={(local ?? error) ? "alert" : undefined}>
        {local ?? error ?? ""}
      </span>
    </form>
  );
}
