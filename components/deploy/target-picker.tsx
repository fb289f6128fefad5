"use client";

import { useQuery } from "@tanstack/react-query";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { parseSelectorText, SelectorSyntaxError, type TargetSelector } from "@/lib/deploy/selector";
import { resolveTargets } from "@/lib/queries/deployments";
import { ResolvedTargets } from "./resolved-targets";

export function selectorFromText(text: string): { selector?: TargetSelector; error?: string } {
  try {
    return { selector: parseSelectorText(text) };
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return { error: err.message.replace(/^--to/, "Targets") };
    throw err;
  }
}

/** Targets as the CLI's --to text, resolved against the fleet as you type: how many, where, reachable now. */
export function TargetPicker({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
}) {
  const debounced = useDebouncedValue(value, 300);
  const parsed = debounced.trim() ? selectorFromText(debounced) : {};
  const resolved = useQuery({
    queryKey: ["deployments", "targets", debounced],
    queryFn: ({ signal }) => resolveTargets(parsed.selector as TargetSelector, signal),
    enabled: parsed.selector !== undefined,
    retry: false,
  });
  const set = resolved.data;
  return (
    <div className="field">
      <label htmlFor={id}>Targets</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="kind=store, region=eu"
        aria-describedby={`${id}-hint ${id}-resolved`}
        aria-invalid={parsed.error !== undefined}
        spellCheck={false}
      />
      <p id={`${id}-hint`} className="hint">
        Terms joined by commas must all hold: <code>all</code>, <code>site=a|b</code>,{" "}
        <code>kind=store|vehicle</code>, <code>cluster=site/name</code>, a site label <code>region=eu</code>,
        a cluster label <code>cluster.role=edge</code>.
      </p>
      <div id={`${id}-resolved`} aria-live="polite" data-testid="targets-resolved">
        {parsed.error ? (
          <p className="field-error">{parsed.error}</p>
        ) : resolved.isError ? (
          <p className="field-error">{(resolved.error as Error).message}</p>
        ) : set ? (
          <ResolvedTargets set={set} />
        ) : null}
      </div>
    </div>
  );
}
