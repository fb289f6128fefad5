"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Notice } from "@/components/ui/notice";
import { errorMessage } from "@/lib/queries/api";
import {
  type ResolvedFleetSelection,
  type RevisionSummary,
  type StrategyInput,
  startRollout,
} from "@/lib/queries/deployments";
import { FleetSelectionTargets } from "./fleet-selection-targets";
import { PreviewPanel } from "./preview-panel";
import { selectorFromText, TargetPicker } from "./target-picker";

function stepsOf(text: string): number[] | undefined {
  const steps = text
    .split(/[,\s/]+/)
    .map((s) => s.replace("%", "").trim())
    .filter(Boolean)
    .map(Number);
  return steps.length > 0 && steps.every((n) => Number.isInteger(n)) ? steps : undefined;
}

/**
 * Container: choose revision and targets, see them resolved, preview (dry run on every
 * target), set the waves, then start. Force (taking field ownership) needs the
 * deployment's name typed.
 */
export function RolloutForm({
  deploymentId,
  deploymentName,
  revisions,
  initialTargets = "",
  fleetSelection,
}: {
  deploymentId: string;
  deploymentName: string;
  revisions: RevisionSummary[];
  initialTargets?: string;
  /** "all matching" from the fleet list, resolved by the server (the page's ?fleet=…) */
  fleetSelection?: ResolvedFleetSelection;
}) {
  const router = useRouter();
  const [revision, setRevision] = useState(revisions[0]?.number ?? 1);
  const [targets, setTargets] = useState(initialTargets);
  const [canary, setCanary] = useState("1");
  const [steps, setSteps] = useState("10, 50, 100");
  const [soak, setSoak] = useState("300");
  const [maxInFlight, setMaxInFlight] = useState("20");
  const [perSite, setPerSite] = useState("2");
  const [failureAction, setFailureAction] = useState<"pause" | "continue">("pause");
  const [force, setForce] = useState(false);
  const [confirm, setConfirm] = useState("");
  const [fixed, setFixed] = useState(fleetSelection);
  const selector =
    fixed !== undefined
      ? fixed.sites.length > 0
        ? { sites: fixed.sites }
        : undefined
      : selectorFromText(targets).selector;
  const strategy: StrategyInput = {
    canary: { count: Number(canary) },
    waves: { by: "percent", steps: stepsOf(steps) ?? [] },
    soakSeconds: Number(soak),
    maxInFlight: Number(maxInFlight),
    maxInFlightPerSite: Number(perSite),
    failureAction,
  };
  const start = useMutation({
    mutationFn: () => {
      if (!selector) throw new Error("Choose the targets first.");
      return startRollout(deploymentId, {
        revision,
        targets: selector,
        strategy,
        force,
        ...(force ? { confirm } : {}),
      });
    },
    onSuccess: (r) => router.push(`/deployments/${encodeURIComponent(deploymentName)}/rollouts/${r.id}`),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <section aria-labelledby="rollout-form-title" className="card stack">
      <h2 id="rollout-form-title">Roll out</h2>
      <form className="form stack" onSubmit={onSubmit} noValidate aria-label="Roll out">
        <div className="field">
          <label htmlFor="rollout-revision">Revision</label>
          <select
            id="rollout-revision"
            value={revision}
            onChange={(e) => setRevision(Number(e.target.value))}
          >
            {revisions.map((r) => (
              <option key={r.number} value={r.number}>
                r{r.number} {r.message ? `— ${r.message}` : ""}
              </option>
            ))}
          </select>
        </div>
        {fixed !== undefined ? (
          <FleetSelectionTargets
            selection={fixed}
            onEditAsText={() => {
              // Few sites stay editable as text; thousands of slugs in a text box help nobody.
              if (fixed.sites.length <= 50) setTargets(`site=${fixed.sites.join("|")}`);
              setFixed(undefined);
            }}
          />
        ) : (
          <TargetPicker id="rollout-targets" value={targets} onChange={setTargets} />
        )}
        {selector ? (
          <PreviewPanel deploymentId={deploymentId} revision={revision} targets={selector} force={force} />
        ) : null}
        <fieldset className="card">
          <legend>Waves</legend>
          <div className="toolbar">
            <label className="field field--narrow">
              <span className="field-label">Canary clusters</span>
              <input
                inputMode="numeric"
                value={canary}
                onChange={(e) => setCanary(e.target.value)}
                aria-label="Canary clusters"
              />
            </label>
            <label className="field">
              <span className="field-label">Then waves of (cumulative %)</span>
              <input value={steps} onChange={(e) => setSteps(e.target.value)} />
            </label>
            <label className="field field--narrow">
              <span className="field-label">Soak (s)</span>
              <input inputMode="numeric" value={soak} onChange={(e) => setSoak(e.target.value)} />
            </label>
            <label className="field field--narrow">
              <span className="field-label">Max in flight</span>
              <input
                inputMode="numeric"
                value={maxInFlight}
                onChange={(e) => setMaxInFlight(e.target.value)}
              />
            </label>
            <label className="field field--narrow">
              <span className="field-label">Per site</span>
              <input inputMode="numeric" value={perSite} onChange={(e) => setPerSite(e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">On a failure</span>
              <select
                value={failureAction}
                onChange={(e) => setFailureAction(e.target.value === "continue" ? "continue" : "pause")}
              >
                <option value="pause">pause the rollout</option>
                <option value="continue">go on</option>
              </select>
            </label>
          </div>
          <p className="hint">
            Each wave waits until its targets are ready and healthy, then soaks before the next starts.
            Unreachable targets wait for their site (up to 72 h) without blocking the others.
          </p>
        </fieldset>
        <fieldset className="card">
          <legend>Field ownership</legend>
          <label className="checkbox">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force: take
            over fields another manager owns (server-side apply force)
          </label>
          {force ? (
            <div className="field">
              <label htmlFor="rollout-confirm">
                Type <strong>{deploymentName}</strong> to confirm
              </label>
              <input
                id="rollout-confirm"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                autoComplete="off"
              />
            </div>
          ) : null}
        </fieldset>
        {start.isError ? (
          <Notice tone="danger" title="Not started" role="alert">
            <p>{errorMessage(start.error)}</p>
          </Notice>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={start.isPending || !selector || (force && confirm !== deploymentName)}
          >
            {start.isPending ? "Starting…" : "Start rollout"}
          </button>
        </div>
      </form>
    </section>
  );
}
