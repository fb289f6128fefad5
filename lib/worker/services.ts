import "server-only";
import { alertsDispatchService, alertsEvaluatorService } from "@/lib/alerts/service";
import { deployService } from "@/lib/deploy/service";
import { markSitesDue } from "@/lib/fleet/summary/marks";
import { fleetSummaryService } from "@/lib/fleet/summary/worker-service";
import { retentionService } from "@/lib/retention/service";
import { telemetryTickService } from "@/lib/telemetry/tick/worker-service";
import type { WorkerService } from "@/lib/work/service";
import { collectorService } from "./collector-service";
import { workRetentionService } from "./work-retention";

// The composition root of background work: every service the worker host runs,
// in start order. Adding one is one line here; its code lives in its own area.
export const SERVICES: WorkerService[] = [
  collectorService,
  telemetryTickService({ markSites: markSitesDue }),
  fleetSummaryService,
  deployService,
  workRetentionService,
  retentionService,
  alertsEvaluatorService,
  alertsDispatchService,
];
