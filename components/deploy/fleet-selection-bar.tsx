"use client";

import { useRef, useState } from "react";
import { numberFormat } from "@/components/ui/format";
import { type FleetSelection, SELECTION_MAX_SITES, selectedCount } from "@/lib/deploy/fleet-selection";
import styles from "./deploy.module.css";
import { DeploySelectionDialog } from "./deploy-selection-dialog";
import { RestartSelectionDialog } from "./restart-selection-dialog";

/**
 * The fleet list's bulk actions (loaded only once a row is ticked): how many
 * sites are chosen, "select all N matching" (N from the server), and the two
 * actions, each of which shows the resolved set before anything runs.
 */
export function FleetSelectionBar({
  selection,
  matching,
  onSelectAll,
  onClear,
}: {
  selection: FleetSelection;
  /** sites matching the filter on screen (the server's count, not the page's) */
  matching: number;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const deployRef = useRef<HTMLDialogElement>(null);
  const restartRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<"deploy" | "restart" | null>(null);
  const count = selectedCount(selection, matching);
  const show = (which: "deploy" | "restart") => {
    setOpen(which);
    (which === "deploy" ? deployRef : restartRef).current?.showModal();
  };
  const n = numberFormat.format(count);
  const text =
    selection.mode === "matching"
      ? selection.except.length > 0
        ? `${n} of the ${numberFormat.format(matching)} sites matching the filters selected (${selection.except.length} unticked)`
        : `All ${n} sites matching the filters selected`
      : `${n} ${count === 1 ? "site" : "sites"} selected`;
  return (
    <section aria-label="Selected sites" className={styles.selectionBar} data-testid="selection-bar">
      <p aria-live="polite" data-testid="selection-count">
        <strong>{text}</strong>
        {selection.mode === "sites" && count >= SELECTION_MAX_SITES
          ? ` (at most ${SELECTION_MAX_SITES} one by one)`
          : ""}
      </p>
      <div className={styles.selectionActions}>
        {selection.mode === "sites" && matching > count ? (
          <button type="button" className="button button--small" onClick={onSelectAll}>
            Select all {numberFormat.format(matching)} matching
          </button>
        ) : null}
        <button type="button" className="button button--small" onClick={onClear}>
          Clear selection
        </button>
        <button type="button" className="button button--small button--primary" onClick={() => show("deploy")}>
          Deploy to selection…
        </button>
        <button type="button" className="button button--small" onClick={() => show("restart")}>
          Restart workloads…
        </button>
      </div>
      <DeploySelectionDialog
        dialogRef={deployRef}
        open={open === "deploy"}
        onClose={() => setOpen(null)}
        selection={selection}
      />
      <RestartSelectionDialog
        dialogRef={restartRef}
        open={open === "restart"}
        onClose={() => setOpen(null)}
        selection={selection}
      />
    </section>
  );
}
