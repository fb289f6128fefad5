import { KindFilter } from "@/components/sites/kind-filter";
import type { SiteKind } from "@/lib/fleet/kinds";

/** Renderer: kind, label and text filters of the control center (status is the counts above). */
export function FleetHealthFilters({
  q,
  kind,
  label,
  onQChange,
  onKindChange,
  onLabelChange,
}: {
  q: string;
  kind: SiteKind | "";
  label: string;
  onQChange: (q: string) => void;
  onKindChange: (kind: SiteKind | "") => void;
  onLabelChange: (label: string) => void;
}) {
  return (
    <search className="toolbar" aria-label="Filter sites">
      <div className="field">
        <label htmlFor="fleet-q">Search</label>
        <input
          id="fleet-q"
          type="search"
          value={q}
          placeholder="Site name, slug or problem"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          onChange={(e) => onQChange(e.target.value)}
        />
      </div>
      <KindFilter id="fleet-kind" kind={kind} onKindChange={onKindChange} />
      <div className="field field--narrow">
        <label htmlFor="fleet-label">Label</label>
        <input
          id="fleet-label"
          type="text"
          value={label}
          placeholder="key=value"
          autoComplete="off"
          spellCheck={false}
          maxLength={300}
          onChange={(e) => onLabelChange(e.target.value)}
        />
      </div>
    </search>
  );
}
