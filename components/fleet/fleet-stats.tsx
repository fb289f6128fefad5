import { numberFormat } from "@/components/ui/format";
import { SITE_KIND_LABELS, SITE_KINDS, type SiteKind } from "@/lib/fleet/schemas";

export function FleetStats({
  siteCount,
  clusterCount,
  sitesByKind,
}: {
  siteCount: number;
  clusterCount: number;
  sitesByKind: Record<SiteKind, number>;
}) {
  return (
    <section aria-labelledby="fleet-counts">
      <h2 id="fleet-counts" className="visually-hidden">
        Fleet counts
      </h2>
      <ul className="stat-grid" data-testid="fleet-stats">
        <li className="stat stat--primary">
          <span className="stat-value">{numberFormat.format(siteCount)}</span>
          <span className="stat-label">Sites</span>
        </li>
        <li className="stat stat--primary">
          <span className="stat-value">{numberFormat.format(clusterCount)}</span>
          <span className="stat-label">Clusters</span>
        </li>
        {SITE_KINDS.map((kind) => (
          <li key={kind} className="stat">
            <span className="stat-value">{numberFormat.format(sitesByKind[kind])}</span>
            <span className="stat-label">{SITE_KIND_LABELS[kind]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
