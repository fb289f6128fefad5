import Link from "next/link";
import { Ago } from "@/components/health/age";
import { STATUS_META } from "@/components/health/status-meta";
import type { GridTile } from "@/lib/grid/tiles";
import { SITE_STATUSES, type SiteStatus } from "@/lib/health/model";

/** The key metric of a tile (a turbine's power), from the site's latest telemetry. */
export interface TileMetric {
  label: string;
  text: string;
  at: string | null;
}

/**
 * Renderer: one tile per cluster, coloured and labelled by its state, with its
 * temperature and key metric and, when it is not fresh, since when it was last
 * seen. A tile opens its cluster.
 */
export function SiteHealthGrid({
  tiles,
  now,
  clusterHref,
  metrics = {},
  title = "Clusters at a glance",
  actions,
}: {
  tiles: readonly GridTile[];
  /** server-clock now, for the ages */
  now: number;
  clusterHref: (clusterId: string) => string;
  /** by cluster id */
  metrics?: Readonly<Record<string, TileMetric>>;
  title?: string;
  actions?: React.ReactNode;
}) {
  const counts = new Map<SiteStatus, number>();
  for (const t of tiles) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  const summary = SITE_STATUSES.filter((s) => (counts.get(s) ?? 0) > 0)
    .map((s) => `${counts.get(s)} ${STATUS_META[s].label.toLowerCase()}`)
    .join(" · ");
  return (
    <section className="card health-grid" aria-labelledby="health-grid-title" data-testid="health-grid">
      <div className="chart-head">
        <h2 id="health-grid-title">{title}</h2>
        {actions}
      </div>
      <p className="muted small" data-testid="health-grid-summary">
        {tiles.length} clusters: {summary}
      </p>
      <TileList tiles={tiles} now={now} clusterHref={clusterHref} metrics={metrics} />
    </section>
  );
}

/** The tiles themselves (also used by the control center's grid for a kind of site). */
export function TileList({
  tiles,
  now,
  clusterHref,
  metrics = {},
}: {
  tiles: readonly GridTile[];
  now: number;
  clusterHref: (clusterId: string) => string;
  metrics?: Readonly<Record<string, TileMetric>>;
}) {
  return (
    <ul className="tile-grid">
      {tiles.map((t) => {
        const meta = STATUS_META[t.status];
        const metric = metrics[t.clusterId];
        const isDark = t.status === "stale" || t.status === "unreachable" || t.status === "unknown";
        return (
          <li key={t.clusterId}>
            <Link
              href={clusterHref(t.clusterId)}
              className={`health-tile health-tile--${t.status}${isDark ? " is-dark" : ""}`}
              data-testid={`tile-${t.name}`}
              data-status={t.status}
              data-hot={t.isHot}
              title={t.headline}
            >
              <span className="health-tile-name">{t.name}</span>
              <span className="health-tile-state">
                <span aria-hidden="true">{meta.icon}</span> {meta.label}
              </span>
              <span
                className={`health-tile-temp${t.isTempStale ? " is-outdated" : ""}`}
                data-testid="tile-temp"
              >
                {t.tempC === null ? (
                  <span className="muted">– °C</span>
                ) : (
                  <>
                    {t.isHot ? <span aria-hidden="true">▲ </span> : null}
                    {t.tempC.toFixed(1)} °C
                    {t.isHot ? <span className="visually-hidden"> (hot)</span> : null}
                  </>
                )}
              </span>
              {metric ? (
                <span className="health-tile-metric" data-testid="tile-metric">
                  <span className="visually-hidden">{metric.label}: </span>
                  {metric.text}
                </span>
              ) : null}
              {isDark ? (
                <span className="health-tile-seen" data-testid="tile-last-seen">
                  seen <Ago iso={t.lastSeenAt} now={now} never="never" />
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
