import { Badge } from "@/components/ui/badge";
import type { ResolvedSet } from "@/lib/queries/deployments";

const SHOWN = 12;

/** Renderer: a resolved target set before anything runs — how many, where, which can be reached now. */
export function ResolvedTargets({ set }: { set: ResolvedSet }) {
  return (
    <>
      <p>
        <strong>
          {set.total} cluster{set.total === 1 ? "" : "s"} at {set.sites} site
          {set.sites === 1 ? "" : "s"}
        </strong>
        {set.total > 0
          ? ` (${Object.entries(set.byKind)
              .map(([k, n]) => `${n} ${k}`)
              .join(", ")}); ${set.reachable} reachable now, ${set.waiting} will wait for their site`
          : ""}
      </p>
      {set.targets.length > 0 ? (
        <ul className="plain-list">
          {set.targets.slice(0, SHOWN).map((t) => (
            <li key={t.clusterId}>
              {t.siteName} / {t.clusterName}{" "}
              {t.maintenance ? (
                <Badge tone="warn" icon="⏸">
                  maintenance
                </Badge>
              ) : t.isExpectedOffline ? (
                <Badge tone="neutral" icon="☾">
                  expected offline
                </Badge>
              ) : t.reach === "fresh" ? (
                <Badge tone="ok">reachable</Badge>
              ) : (
                <Badge tone="warn">{t.reachReason}</Badge>
              )}
            </li>
          ))}
          {set.total > SHOWN ? <li className="muted">… and {set.total - SHOWN} more</li> : null}
        </ul>
      ) : null}
    </>
  );
}
