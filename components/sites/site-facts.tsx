import { formatDateTime } from "@/components/ui/format";
import { SITE_KIND_LABELS } from "@/lib/fleet/kinds";
import type { SiteView } from "@/lib/fleet/sites";

/** Renderer: what Outpost knows about a site. */
export function SiteFacts({ site }: { site: SiteView }) {
  const labels = Object.entries(site.labels);
  return (
    <dl className="facts" data-testid="site-facts">
      <dt>Kind</dt>
      <dd>{SITE_KIND_LABELS[site.kind]}</dd>
      <dt>Slug</dt>
      <dd className="mono">{site.slug}</dd>
      <dt>Location</dt>
      <dd>
        {site.latitude != null && site.longitude != null ? (
          <span className="mono">
            {site.latitude.toFixed(4)}, {site.longitude.toFixed(4)}
          </span>
        ) : (
          <span className="muted">not set</span>
        )}
      </dd>
      <dt>Contact</dt>
      <dd>
        {site.contactMode === "intermittent"
          ? "Intermittent: dark by design at times"
          : "Continuous: always connected"}
      </dd>
      <dt>Expected offline</dt>
      <dd>
        {site.expectedOfflineWindows.length === 0 ? (
          <span className="muted">never</span>
        ) : (
          <ul className="kv-list">
            {site.expectedOfflineWindows.map((w) => (
              <li key={`${w.start}-${w.end}-${w.timeZone}`}>
                {w.start}–{w.end} {w.timeZone}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Longest normal silence</dt>
      <dd>
        {site.maxSilenceMinutes != null ? (
          `${site.maxSilenceMinutes} min`
        ) : (
          <span className="muted">fleet default</span>
        )}
      </dd>
      <dt>Hot above</dt>
      <dd>
        {site.tempWarnCelsius != null ? (
          `${site.tempWarnCelsius} °C, set on this site`
        ) : (
          <span className="muted">inherited (see Temperature thresholds)</span>
        )}
      </dd>
      <dt>Labels</dt>
      <dd>
        {labels.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="kv-list">
            {labels.map(([k, v]) => (
              <li key={k}>
                {k}={v}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Created</dt>
      <dd>{formatDateTime(site.createdAt)}</dd>
      <dt>Updated</dt>
      <dd>{formatDateTime(site.updatedAt)}</dd>
    </dl>
  );
}
