import { useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import type { FieldErrors } from "@/components/ui/field-errors-model";
import { formatDateTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { formatDuration } from "@/lib/health/format";
import type { MaintenanceView } from "@/lib/queries/maintenance";

// Renderers for site maintenance: what is in force, and the form to start it.

const iso = (ms: number) => new Date(ms).toISOString();

/** The banner while a site is in maintenance (site page) — says what it mutes and until when. */
export function ActiveMaintenanceNotice({
  window: w,
  now,
  onEnd,
  isEnding,
}: {
  window: MaintenanceView;
  now: number;
  onEnd?: () => void;
  isEnding?: boolean;
}) {
  return (
    <Notice
      tone="warn"
      testId="maintenance-active"
      title={`In maintenance until ${formatDateTime(iso(w.endsAt))} (${formatDuration(w.endsAt - now)} left)`}
    >
      <p>
        {w.reason}{" "}
        <span className="muted">
          — started by {w.createdBy} at {formatDateTime(iso(w.startsAt))}
        </span>
      </p>
      <p className="hint">Alerts stay visible and notify nobody; deployments hold this site.</p>
      {onEnd ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={onEnd} disabled={isEnding}>
            {isEnding ? "Ending…" : "End maintenance now"}
          </button>
        </div>
      ) : null}
    </Notice>
  );
}

export const DURATIONS: { minutes: number; label: string }[] = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 120, label: "2 hours" },
  { minutes: 240, label: "4 hours" },
  { minutes: 480, label: "8 hours" },
  { minutes: 1440, label: "24 hours" },
  { minutes: 4320, label: "3 days" },
];

/** Start maintenance now: a reason (shown to everyone) and how long. */
export function StartMaintenanceForm({
  onSubmit,
  isBusy,
  errors,
}: {
  onSubmit: (input: { reason: string; durationMinutes: number }) => void;
  isBusy: boolean;
  errors: FieldErrors;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(120);
  return (
    <form
      className="form"
      aria-label="Start maintenance"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ reason, durationMinutes: minutes });
      }}
    >
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason</label>
          <input
            id={`${id}-reason`}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={hasError(errors, "reason")}
            aria-describedby={`${id}-reason-error`}
            placeholder="e.g. gearbox swap on turbine 07"
          />
          <FieldError id={`${id}-reason-error`} errors={errors} path="reason" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-duration`}>For</label>
          <select
            id={`${id}-duration`}
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
            aria-describedby={`${id}-duration-error`}
          >
            {DURATIONS.map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-duration-error`} errors={errors} path="durationMinutes" />
          <FieldError id={`${id}-end-error`} errors={errors} path="endsAt" />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--warn" disabled={isBusy}>
          {isBusy ? "Starting…" : "Start maintenance"}
        </button>
      </div>
    </form>
  );
}

/** Planned and past windows, newest decisions visible. */
export function MaintenanceHistory({
  upcoming,
  recent,
  onCancel,
}: {
  upcoming: MaintenanceView[];
  recent: MaintenanceView[];
  onCancel?: (id: string) => void;
}) {
  if (upcoming.length === 0 && recent.length === 0) return null;
  return (
    <ul className="plain-list" aria-label="Maintenance windows">
      {upcoming.map((w) => (
        <li key={w.id}>
          Planned {formatDateTime(iso(w.startsAt))} – {formatDateTime(iso(w.endsAt))}: {w.reason}{" "}
          <span className="muted">({w.createdBy})</span>{" "}
          {onCancel ? (
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() => onCancel(w.id)}
            >
              Cancel
            </button>
          ) : null}
        </li>
      ))}
      {recent.map((w) => (
        <li key={w.id} className="muted">
          {formatDateTime(iso(w.startsAt))} – {formatDateTime(iso(w.endsAt))}: {w.reason} ({w.createdBy}
          {w.endedBy ? `, ended by ${w.endedBy}` : ""})
        </li>
      ))}
    </ul>
  );
}
