"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type RefObject, useState } from "react";
import { startRestart } from "@/lib/queries/deployments";

/**
 * The one "restart workloads" flow behind the site page's button and the fleet
 * selection's dialog: which workloads (label selector, optional namespace) and
 * the mutation that starts the rollout restart and opens its rollout page.
 * `sites` is read when the restart starts, so a selection resolved after the
 * dialog opened is the one used; it may throw to refuse with a message.
 */
export function useWorkloadRestart(dialogRef: RefObject<HTMLDialogElement | null>, sites: () => string[]) {
  const router = useRouter();
  const [labelSelector, setLabelSelector] = useState("");
  const [namespace, setNamespace] = useState("");
  const restart = useMutation({
    mutationFn: () =>
      startRestart({
        targets: { sites: sites() },
        workloads: {
          labelSelector: labelSelector.trim(),
          ...(namespace.trim() ? { namespace: namespace.trim() } : {}),
        },
      }),
    onSuccess: (r) => {
      dialogRef.current?.close();
      router.push(`/deployments/${encodeURIComponent(r.name)}/rollouts/${r.id}`);
    },
  });
  return { fields: { labelSelector, namespace, setLabelSelector, setNamespace }, restart };
}

export type WorkloadFieldValues = ReturnType<typeof useWorkloadRestart>["fields"];
