import type { SiteKind } from "@/lib/fleet/kinds";
import { KindFilter } from "./kind-filter";

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
      <KindFilter id="site-kind" kind={kind} onKindChange={onKindChange} />
    </search>
  );
}
