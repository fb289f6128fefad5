import { SITE_KIND_LABELS, SITE_KINDS, type SiteKind } from "@/lib/fleet/schemas";

/** Renderer: the search box and kind filter of the sites list. */
export function SiteFilters({
  q,
  kind,
  onQChange,
  onKindChange,
}: {
  q: string;
  kind: SiteKind | "";
  onQChange: (q: string) => void;
  onKindChange: (kind: SiteKind | "") => void;
}) {
  return (
    <search className="toolbar">
      <div className="field">
        <label htmlFor="site-q">Search sites</label>
        <input
          id="site-q"
          type="search"
          value={q}
          placeholder="Name or slug"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onQChange(e.target.value)}
        />
      </div>
      <div className="field field--narrow">
        <label htmlFor="site-kind">Kind</label>
        <select id="site-kind" value={kind} onChange={(e) => onKindChange(e.target.value as SiteKind | "")}>
          <option value="">All kinds</option>
          {SITE_KINDS.map((k) => (
            <option key={k} value={k}>
              {SITE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
    </search>
  );
}
