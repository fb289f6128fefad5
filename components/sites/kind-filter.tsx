import { SITE_KIND_LABELS, SITE_KINDS, type SiteKind } from "@/lib/fleet/kinds";

/** Renderer: the "Kind" select shared by the sites list and the control center filters. */
export function KindFilter({
  id,
  kind,
  onKindChange,
}: {
  id: string;
  kind: SiteKind | "";
  onKindChange: (kind: SiteKind | "") => void;
}) {
  return (
    <div className="field field--narrow">
      <label htmlFor={id}>Kind</label>
      <select id={id} value={kind} onChange={(e) => onKindChange(e.target.value as SiteKind | "")}>
        <option value="">All kinds</option>
        {SITE_KINDS.map((k) => (
          <option key={k} value={k}>
            {SITE_KIND_LABELS[k]}
          </option>
        ))}
      </select>
    </div>
  );
}
