import type { ObjectPreview } from "@/lib/deploy/cluster-ops";
import type { RevisionDetail, RevisionSummary } from "@/lib/deploy/deployments";
import type { FieldChange } from "@/lib/deploy/diff";
import type { ResolvedFleetSelection } from "@/lib/deploy/fleet-selection-resolve";
import type { ManifestIssue } from "@/lib/deploy/manifest";
import type { PreviewCounts, PreviewOutcome } from "@/lib/deploy/previews";
import type { RestartSpec } from "@/lib/deploy/restart";
import type { ObjectComparison } from "@/lib/deploy/revision";
import type { TargetSelector } from "@/lib/deploy/selector";
import type { StrategyInput } from "@/lib/deploy/strategy";
import type { TargetState } from "@/lib/deploy/target-state";
import type { ResolvedSet } from "@/lib/deploy/targets";
import type {
  DeploymentDetail,
  DeploymentListItem,
  RolloutDetail,
  RolloutSummary,
  SiteActiveTarget,
  SiteDeploymentRow,
  TargetView,
} from "@/lib/deploy/views";
import { apiFetch } from "./api";

export type {
  DeploymentDetail,
  DeploymentListItem,
  FieldChange,
  ObjectComparison,
  ObjectPreview,
  PreviewCounts,
  PreviewOutcome,
  ResolvedFleetSelection,
  ResolvedSet,
  RevisionDetail,
  RevisionSummary,
  RolloutDetail,
  RolloutSummary,
  SiteActiveTarget,
  SiteDeploymentRow,
  StrategyInput,
  TargetSelector,
  TargetState,
  TargetView,
};

/** A running rollout changes every few seconds; the page follows it closely. */
export const ROLLOUT_REFETCH_MS = 2_000;
export const DEPLOYMENT_LIST_REFETCH_MS = 5_000;
export const SITE_DEPLOYMENTS_REFETCH_MS = 10_000;
export const PREVIEW_REFETCH_MS = 1_000;
export const TARGETS_PAGE_SIZE = 50;

export const deploymentKeys = {
  all: ["deployments"] as const,
  lists: () => [...deploymentKeys.all, "list"] as const,
  list: (q: string) => [...deploymentKeys.lists(), { q }] as const,
  detail: (idOrName: string) => [...deploymentKeys.all, "detail", idOrName] as const,
  revision: (id: string, n: number) => [...deploymentKeys.all, "revision", id, n] as const,
  compare: (id: string, from: number, to: number) =>
    [...deploymentKeys.all, "compare", id, from, to] as const,
  rollout: (id: string) => [...deploymentKeys.all, "rollout", id] as const,
  targets: (id: string, filters: { state: string; q: string; wave: string }) =>
    [...deploymentKeys.all, "rollout", id, "targets", filters] as const,
  preview: (id: string) => [...deploymentKeys.all, "preview", id] as const,
  previewTargets: (id: string, outcome: string) =>
    [...deploymentKeys.all, "preview", id, "targets", outcome] as const,
  site: (idOrSlug: string) => [...deploymentKeys.all, "site", idOrSlug] as const,
};

const enc = encodeURIComponent;

export function fetchDeployments(q: string, cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ limit: "50" });
  if (q.trim()) params.set("q", q.trim());
  if (cursor) params.set("cursor", cursor);
  return apiFetch<{ items: DeploymentListItem[]; nextCursor: string | null }>(`/api/deployments?${params}`, {
    signal,
  });
}

export function fetchDeployment(idOrName: string, signal?: AbortSignal) {
  return apiFetch<DeploymentDetail>(`/api/deployments/${enc(idOrName)}`, { signal });
}

export interface ManifestCheck {
  issues: (ManifestIssue & { text: string })[];
  requiredRole: "operator" | "admin";
  objects: { kind: string; namespace?: string; name: string }[];
}

export function validateManifest(manifest: string, signal?: AbortSignal) {
  return apiFetch<ManifestCheck>("/api/deployments/validate", { method: "POST", body: { manifest }, signal });
}

export function createDeployment(input: {
  name: string;
  description: string;
  manifest: string;
  message: string;
}) {
  return apiFetch<{ deployment: { id: string; name: string }; revision: RevisionSummary }>(
    "/api/deployments",
    {
      method: "POST",
      body: input,
    },
  );
}

export function createRevision(id: string, input: { manifest: string; message: string }) {
  return apiFetch<{ revision: RevisionSummary; isNew: boolean }>(`/api/deployments/${enc(id)}/revisions`, {
    method: "POST",
    body: input,
  });
}

export function fetchRevision(id: string, n: number, signal?: AbortSignal) {
  return apiFetch<{ revision: RevisionDetail }>(`/api/deployments/${enc(id)}/revisions/${n}`, { signal });
}

export function fetchCompare(id: string, from: number, to: number, signal?: AbortSignal) {
  return apiFetch<{ from: RevisionSummary; to: RevisionSummary; objects: ObjectComparison[] }>(
    `/api/deployments/${enc(id)}/compare?from=${from}&to=${to}`,
    { signal },
  );
}

export function resolveTargets(targets: TargetSelector, signal?: AbortSignal) {
  return apiFetch<ResolvedSet>("/api/deployments/targets", { method: "POST", body: { targets }, signal });
}

/** "All sites matching" a fleet-list filter, minus the unticked ones, as the server resolves it now. */
export function resolveFleetSelection(fleet: string, except: readonly string[], signal?: AbortSignal) {
  return apiFetch<ResolvedFleetSelection>("/api/deployments/fleet-selection", {
    method: "POST",
    body: { fleet, except },
    signal,
  });
}

export function createPreview(
  id: string,
  input: { revision?: number; targets: TargetSelector; force: boolean },
) {
  return apiFetch<{ id: string; total: number }>(`/api/deployments/${enc(id)}/previews`, {
    method: "POST",
    body: input,
  });
}

export interface PreviewView {
  id: string;
  revisionNumber: number;
  selectorText: string;
  force: boolean;
  state: "running" | "done";
  counts: PreviewCounts;
  sentence: string;
}

export interface PreviewTargetView {
  clusterId: string;
  siteSlug: string;
  siteName: string;
  clusterName: string;
  outcome: PreviewOutcome;
  message: string;
  objects: ObjectPreview[];
  checkedAt: string | null;
}

export function fetchPreview(id: string, signal?: AbortSignal) {
  return apiFetch<{ preview: PreviewView }>(`/api/previews/${enc(id)}`, { signal });
}

export function fetchPreviewTargets(id: string, outcome: string, signal?: AbortSignal) {
  const params = new URLSearchParams({ limit: "100" });
  if (outcome) params.set("outcome", outcome);
  return apiFetch<{ items: PreviewTargetView[]; nextCursor: string | null }>(
    `/api/previews/${enc(id)}/targets?${params}`,
    {
      signal,
    },
  );
}

export function startRollout(
  id: string,
  input: {
    revision?: number;
    targets: TargetSelector;
    strategy: StrategyInput;
    force: boolean;
    confirm?: string;
  },
) {
  return apiFetch<{ id: string; total: number; revision: number }>(`/api/deployments/${enc(id)}/rollouts`, {
    method: "POST",
    body: input,
  });
}

export function fetchRollout(id: string, signal?: AbortSignal) {
  return apiFetch<{ rollout: RolloutDetail }>(`/api/rollouts/${enc(id)}`, { signal });
}

export function fetchTargets(
  id: string,
  filters: { state: string; q: string; wave: string },
  cursor: number | null,
  signal?: AbortSignal,
) {
  const params = new URLSearchParams({ limit: String(TARGETS_PAGE_SIZE) });
  if (filters.state) params.set("state", filters.state);
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.wave) params.set("wave", filters.wave);
  if (cursor !== null) params.set("cursor", String(cursor));
  return apiFetch<{ items: TargetView[]; nextCursor: number | null; total: number }>(
    `/api/rollouts/${enc(id)}/targets?${params}`,
    {
      signal,
    },
  );
}

export function rolloutAction(id: string, action: "pause" | "abort") {
  return apiFetch(`/api/rollouts/${enc(id)}/${action}`, { method: "POST" });
}

export function resumeRollout(id: string, retryFailed: boolean) {
  return apiFetch(`/api/rollouts/${enc(id)}/resume`, { method: "POST", body: { retryFailed } });
}

export function rollbackRollout(id: string) {
  return apiFetch<{ id: string; total: number; revision: number }>(`/api/rollouts/${enc(id)}/rollback`, {
    method: "POST",
    body: {},
  });
}

export function startRestart(input: {
  targets: TargetSelector;
  workloads: RestartSpec | Omit<RestartSpec, "kinds">;
  strategy?: StrategyInput;
}) {
  return apiFetch<{ deploymentId: string; name: string; id: string; total: number }>("/api/restarts", {
    method: "POST",
    body: input,
  });
}

export function fetchSiteDeployments(idOrSlug: string, signal?: AbortSignal) {
  return apiFetch<{ installed: SiteDeploymentRow[]; active: SiteActiveTarget[] }>(
    `/api/sites/${enc(idOrSlug)}/deployments`,
    {
      signal,
    },
  );
}
