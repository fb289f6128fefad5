import Link from "next/link";
import { Ago, Duration } from "@/components/health/age";
import { StatusBadge } from "@/components/health/status-badge";
import { SITE_KIND_LABELS, type SiteKind } from "@/lib/fleet/kinds";
import type { FleetSite } from "@/lib/queries/fleet-health";

function kindLabel(kind: string): string {
  return SITE_KIND_LABELS[kind as SiteKind] ?? kind;
}

/** Row checkboxes for bulk actions (deploy: components/deploy/fleet-selection-bar.tsx); operators only. */
export interface FleetListSelection {
  isSelected: (slug: string) => boolean;
  onToggle: (slug: string) => void;
  /** the header checkbox: every row shown ticked, some, or none */
  shown: "all" | "some" | "none";
  onToggleShown: () => void;
}

/** Renderer: sites worst first, each with its state, why, and since when. */
export function FleetSiteList({
  sites,
  now,
  caption,
  isOutdated,
  selection,
}: {
  sites: FleetSite[];
  /** server-clock "now" for the ages */
  now: number;
  caption: string;
  isOutdated: boolean;
  selection?: FleetListSelection;
}) {
  return (
    <div className={`table-wrap${isOutdated ? " is-outdated" : ""}`}>
      <table data-testid="fleet-list" className="fleet-list">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {selection ? (
              <th scope="col" className="select-col">
                <input
                  type="checkbox"
                  aria-label={`Select the ${sites.length} sites shown`}
                  checked={selection.shown === "all"}
                  ref={(el) => {
                    if (el) el.indeterminate = selection.shown === "some";
                  }}
                  onChange={selection.onToggleShown}
                  data-testid="select-shown"
                />
              </th>
            ) : null}
            <th scope="col">State</th>
            <th scope="col">Site</th>
            <th scope="col">What needs attention</th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">
              Fresh / ready
            </th>
          </tr>
        </thead>
        <tbody>
          {sites.map((s) => (
            <tr key={s.siteId} data-testid={`fleet-row-${s.slug}`} data-status={s.status}>
              {selection ? (
                <td className="select-col">
                  <input
                    type="checkbox"
                    aria-label={`Select ${s.name}`}
                    checked={selection.isSelected(s.slug)}
                    onChange={() => selection.onToggle(s.slug)}
                    data-testid="select-site"
                  />
                </td>
              ) : null}
              <td>
                <StatusBadge status={s.status} />
              </td>
              <th scope="row">
                <Link className="row-link" href={`/sites/${s.slug}`} title={s.slug}>
                  {s.name}
                </Link>
                <div className="muted small">{kindLabel(s.kind)}</div>
              </th>
              <td>
                <span className="headline" data-testid="headline">
                  {s.headline}
                </span>
                {s.since && s.status !== "healthy" ? (
                  <div className="muted age" data-testid="since">
                    <Duration iso={s.since} now={now} prefix="since " />
                  </div>
                ) : null}
              </td>
              <td data-testid="last-seen">
                <Ago iso={s.lastSeenAt} now={now} />
              </td>
              <td className="num small nowrap">
                <div>
                  {s.counts.clustersFresh}/{s.counts.clusters} clusters
                </div>
                <div>
                  {s.counts.nodesReady}/{s.counts.nodes} nodes
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
