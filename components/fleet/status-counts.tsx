import { STATUS_META } from "@/components/health/status-meta";
import { numberFormat } from "@/components/ui/format";
import { type FleetCounts, SITE_STATUSES, type SiteStatus } from "@/lib/health/model";

/**
 * Renderer: sites per state across the whole fleet, worst first. Each count is
 * a toggle that filters the list (several may be on at once).
 */
export function StatusCounts({
  counts,
  selected,
  onToggle,
  onClear,
}: {
  counts: FleetCounts;
  selected: readonly SiteStatus[];
  onToggle: (status: SiteStatus) => void;
  onClear: () => void;
}) {
  return (
    <section aria-labelledby="fleet-counts-title">
      <h2 id="fleet-counts-title" className="visually-hidden">
        Sites by state
      </h2>
      <ul className="status-grid" data-testid="status-counts">
        <li>
          <button
            type="button"
            className="status-tile status-tile--all"
            aria-pressed={selected.length === 0}
            onClick={onClear}
            data-testid="count-all"
          >
            <span className="stat-value">{numberFormat.format(counts.total)}</span>
            <span className="stat-label">All sites</span>
          </button>
        </li>
        {SITE_STATUSES.map((status) => {
          const n = counts[status];
          const meta = STATUS_META[status];
          return (
            <li key={status}>
              <button
                type="button"
                className={`status-tile status-tile--${status}${n === 0 ? " is-zero" : ""}`}
                aria-pressed={selected.includes(status)}
                onClick={() => onToggle(status)}
                data-testid={`count-${status}`}
                title={meta.description}
              >
                <span className="stat-value">{numberFormat.format(n)}</span>
                <span className="stat-label">
                  <span aria-hidden="true">{meta.icon} </span>
                  {meta.label}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
