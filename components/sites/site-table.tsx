import Link from "next/link";
import { formatAgo } from "@/components/ui/format";
import { SITE_KIND_LABELS } from "@/lib/fleet/kinds";
import type { SiteView } from "@/lib/fleet/sites";

function Labels({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="kv-list">
      {entries.slice(0, 4).map(([k, v]) => (
        <li key={k}>
          {k}={v}
        </li>
      ))}
      {entries.length > 4 ? <li>+{entries.length - 4}</li> : null}
    </ul>
  );
}

/** Renderer only: a list of sites linking to their pages. */
export function SiteTable({ sites, caption }: { sites: SiteView[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table data-testid="site-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Clusters
            </th>
            <th scope="col">Contact</th>
            <th scope="col">Labels</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((site) => (
            <tr key={site.id}>
              <th scope="row">
                <Link className="row-link" href={`/sites/${site.slug}`}>
                  {site.name}
                </Link>
                <div className="muted mono">{site.slug}</div>
              </th>
              <td>{SITE_KIND_LABELS[site.kind]}</td>
              <td className="num">{site.clusterCount}</td>
              <td>{site.contactMode === "intermittent" ? "Intermittent" : "Continuous"}</td>
              <td>
                <Labels labels={site.labels} />
              </td>
              <td>
                <time dateTime={site.updatedAt} suppressHydrationWarning>
                  {formatAgo(site.updatedAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
