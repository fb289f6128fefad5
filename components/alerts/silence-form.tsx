import { useId, useState } from "react";
import { FieldError } from "@/components/ui/field-errors";
import type { FieldErrors } from "@/components/ui/field-errors-model";
import { MATCHER_NAMES, type Matcher } from "@/lib/alerts/silences";

// Renderer: a silence — matchers (all must match), how long, and why.

const DURATIONS = [
  { minutes: 60, label: "1 hour" },
  { minutes: 240, label: "4 hours" },
  { minutes: 720, label: "12 hours" },
  { minutes: 1440, label: "1 day" },
  { minutes: 10080, label: "1 week" },
];

const NAMES = [...MATCHER_NAMES, "label:"];

export function SilenceForm({
  initial,
  onSubmit,
  onCancel,
  isBusy,
  errors,
}: {
  initial: Matcher[];
  onSubmit: (input: { matchers: Matcher[]; durationMinutes: number; comment: string }) => void;
  onCancel?: () => void;
  isBusy: boolean;
  errors: FieldErrors;
}) {
  const id = useId();
  const [matchers, setMatchers] = useState<Matcher[]>(
    initial.length > 0 ? initial : [{ name: "site", op: "=", value: "" }],
  );
  const [minutes, setMinutes] = useState(240);
  const [comment, setComment] = useState("");
  const update = (i: number, patch: Partial<Matcher>) =>
    setMatchers((ms) => ms.map((m, k) => (k === i ? { ...m, ...patch } : m)));
  return (
    <form
      className="form"
      aria-label="Silence alerts"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ matchers, durationMinutes: minutes, comment });
      }}
    >
      <fieldset>
        <legend>Alerts matching all of</legend>
        {matchers.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: matchers have no identity besides their position
          <div className="field-row" key={i}>
            <div className="field">
              <label htmlFor={`${id}-n${i}`}>Label</label>
              <select
                id={`${id}-n${i}`}
                value={m.name.startsWith("label:") ? "label:" : m.name}
                onChange={(e) => update(i, { name: e.target.value === "label:" ? "label:" : e.target.value })}
              >
                {NAMES.map((n) => (
                  <option key={n} value={n}>
                    {n === "label:" ? "site label…" : n}
                  </option>
                ))}
              </select>
              {m.name.startsWith("label:") ? (
                <input
                  aria-label="Site label key"
                  value={m.name.slice("label:".length)}
                  onChange={(e) => update(i, { name: `label:${e.target.value}` })}
                  placeholder="region"
                />
              ) : null}
            </div>
            <div className="field field--narrow">
              <label htmlFor={`${id}-o${i}`}>Match</label>
              <select
                id={`${id}-o${i}`}
                value={m.op}
                onChange={(e) => update(i, { op: e.target.value as Matcher["op"] })}
              >
                <option value="=">is</option>
                <option value="!=">is not</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-v${i}`}>Value</label>
              <input
                id={`${id}-v${i}`}
                value={m.value}
                onChange={(e) => update(i, { value: e.target.value })}
              />
              <FieldError id={`${id}-e${i}`} errors={errors} path={`matchers.${i}`} />
            </div>
            {matchers.length > 1 ? (
              <button
                type="button"
                className="button button--small button--ghost"
                onClick={() => setMatchers((ms) => ms.filter((_, k) => k !== i))}
              >
                Remove
              </button>
            ) : null}
          </div>
        ))}
        <button
          type="button"
          className="button button--small"
          onClick={() => setMatchers((ms) => [...ms, { name: "node", op: "=", value: "" }])}
        >
          Add matcher
        </button>
        <FieldError id={`${id}-matchers`} errors={errors} path="matchers" />
      </fieldset>
      <div className="field-row">
        <div className="field field--narrow">
          <label htmlFor={`${id}-d`}>For</label>
          <select id={`${id}-d`} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {DURATIONS.map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-c`}>Comment</label>
          <input
            id={`${id}-c`}
            value={comment}
            maxLength={500}
            onChange={(e) => setComment(e.target.value)}
            placeholder="why, and who is on it"
          />
          <FieldError id={`${id}-ce`} errors={errors} path="comment" />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={isBusy}>
          {isBusy ? "Silencing…" : "Silence"}
        </button>
        {onCancel ? (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
