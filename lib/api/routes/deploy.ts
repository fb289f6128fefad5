import { z } from "zod";
import {
  createDeploymentSchema,
  createRevisionSchema,
  validateManifestSchema,
} from "@/lib/deploy/deployments";
import { fleetSelectionSchema } from "@/lib/deploy/fleet-selection-resolve";
import { createPreviewSchema, previewTargetsQuerySchema } from "@/lib/deploy/previews";
import { resumeSchema, rollbackSchema, startRestartSchema, startRolloutSchema } from "@/lib/deploy/rollouts";
import { targetSelectorSchema } from "@/lib/deploy/selector";
import { deploymentListQuerySchema, rolloutTargetsQuerySchema } from "@/lib/deploy/views";
import { idParams } from "../params";
import { route } from "../spec";

// Deployments (issue 10): manifests and revisions, previews (dry runs), rollouts
// and their actions, workload restarts, and what is deployed on a site. Every
// action is for operators (API tokens included) and audited.

const revisionParams = z.object({ id: z.string().min(1).max(64), number: z.coerce.number().int().min(1) });
const compareQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

export const deployRoutes = {
  "GET /api/deployments": route({
    access: "viewer",
    summary: "Deployments, newest activity first, with the latest rollout's state and progress",
    query: deploymentListQuerySchema,
  }),
  "POST /api/deployments": route({
    access: "operator",
    summary:
      "Create a deployment from a multi-document manifest (its first revision); cluster-scoped and RBAC objects need admin",
    body: createDeploymentSchema,
    audit: { action: "deployment.create", target: "deployment" },
  }),
  "POST /api/deployments/validate": route({
    access: "operator",
    summary: "Check a manifest without storing it: every problem by document and field, the role it needs",
    body: validateManifestSchema,
  }),
  "POST /api/deployments/targets": route({
    access: "viewer",
    summary: "Resolve a target selector: how many clusters at which sites, which are reachable now",
    body: z.object({ targets: targetSelectorSchema }).strict(),
  }),
  "POST /api/deployments/fleet-selection": route({
    access: "viewer",
    summary:
      'Resolve "all sites matching" a fleet-list filter (minus unticked sites) to the site slugs it means now',
    body: fleetSelectionSchema,
  }),
  "GET /api/deployments/{id}": route({
    access: "viewer",
    summary: "One deployment (id or name): revisions, recent rollouts, where it is installed",
    params: idParams,
  }),
  "POST /api/deployments/{id}/revisions": route({
    access: "operator",
    summary: "A new immutable revision (the latest one back when the content is the same)",
    params: idParams,
    body: createRevisionSchema,
    audit: { action: "deployment.revise", target: "deployment" },
  }),
  "GET /api/deployments/{id}/revisions/{number}": route({
    access: "viewer",
    summary: "One revision as YAML (Secret values hidden)",
    params: revisionParams,
  }),
  "GET /api/deployments/{id}/compare": route({
    access: "viewer",
    summary: "Two revisions side by side: objects added, removed, changed, with the fields",
    params: idParams,
    query: compareQuery,
  }),
  "POST /api/deployments/{id}/previews": route({
    access: "operator",
    summary: "Dry-run a revision on targets (server-side apply, dryRun=All): counts, field diffs, conflicts",
    params: idParams,
    body: createPreviewSchema,
    audit: { action: "deployment.preview", target: "deployment" },
  }),
  "POST /api/deployments/{id}/rollouts": route({
    access: "operator",
    summary:
      "Roll a revision out in waves; force (taking field ownership) needs the deployment's name typed as confirm",
    params: idParams,
    body: startRolloutSchema,
    audit: { action: "rollout.start", target: "deployment" },
  }),
  "GET /api/previews/{id}": route({ access: "viewer", summary: "A preview's counts", params: idParams }),
  "GET /api/previews/{id}/targets": route({
    access: "viewer",
    summary: "A preview's targets with per-object outcomes, diffs and conflicts",
    params: idParams,
    query: previewTargetsQuerySchema,
  }),
  "GET /api/rollouts/{id}": route({
    access: "viewer",
    summary: "A rollout: state, waves with progress, events",
    params: idParams,
  }),
  "GET /api/rollouts/{id}/targets": route({
    access: "viewer",
    summary: "A rollout's targets, paged, filterable by state, wave and text, each with reason and since",
    params: idParams,
    query: rolloutTargetsQuerySchema,
  }),
  "POST /api/rollouts/{id}/pause": route({
    access: "operator",
    summary: "Pause: nothing new starts; what is rolling out finishes",
    params: idParams,
    audit: { action: "rollout.pause", target: "rollout" },
  }),
  "POST /api/rollouts/{id}/resume": route({
    access: "operator",
    summary: "Resume a paused rollout, accepting its failures or retrying them",
    params: idParams,
    body: resumeSchema,
    audit: { action: "rollout.resume", target: "rollout" },
  }),
  "POST /api/rollouts/{id}/abort": route({
    access: "operator",
    summary: "Abort: what has not finished is cancelled; what was applied stays",
    params: idParams,
    audit: { action: "rollout.abort", target: "rollout" },
  }),
  "POST /api/rollouts/{id}/rollback": route({
    access: "operator",
    summary: "Re-apply the previous revision through the same waves, pruning what the newer one added",
    params: idParams,
    body: rollbackSchema,
    audit: { action: "rollout.rollback", target: "rollout" },
  }),
  "POST /api/restarts": route({
    access: "operator",
    summary: "Rollout restart of workloads (by name or label) on the chosen clusters, in waves",
    body: startRestartSchema,
    audit: { action: "rollout.restart", target: "deployment" },
  }),
  "GET /api/sites/{id}/deployments": route({
    access: "viewer",
    summary:
      "What is deployed on a site's clusters (deployment, revision, state) and what is rolling out there",
    params: idParams,
  }),
};
