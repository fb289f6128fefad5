// Matrix expectations for every route, one file per area beside lib/api/routes/.
import type { RouteKey } from "../routes";
import { adminProbes } from "./admin";
import { alertsProbes } from "./alerts";
import { authProbes } from "./auth";
import { deployProbes } from "./deploy";
import { embedProbes } from "./embed";
import { fleetProbes } from "./fleet";
import type { Probe } from "./probe";
import { systemProbes } from "./system";
import { telemetryProbes } from "./telemetry";

export const PROBES: Record<RouteKey, Probe> = {
  ...authProbes,
  ...fleetProbes,
  ...telemetryProbes,
  ...alertsProbes,
  ...adminProbes,
  ...deployProbes,
  ...systemProbes,
  ...embedProbes,
};
