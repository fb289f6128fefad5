// The sections of `npm run bench`, in the order a plain run goes through them.
// Adding one: write bench/sections/<name>.ts exporting a BenchSection (see
// bench/kit.ts) and add it to this list — nothing else.
import type { BenchSection } from "./kit";
import { alertsSection } from "./sections/alerts";
import { collectorSection } from "./sections/collector";
import { memorySection } from "./sections/collector-memory";
import { growthSection } from "./sections/contact-growth";
import { deploySection } from "./sections/deploy";
import { embedSection } from "./sections/embed";
import { fleetSection } from "./sections/fleet";
import { pageSection } from "./sections/page";
import { scaleOutSection } from "./sections/scale-out";
import { simulatorSection } from "./sections/simulator";
import { summarySection } from "./sections/summary";
import { telemetryReadSection, telemetryTickSection, telemetryWriteSection } from "./sections/telemetry";
import { vitalsSection } from "./sections/vitals";

export const SECTIONS: BenchSection[] = [
  simulatorSection,
  collectorSection,
  fleetSection,
  summarySection,
  memorySection,
  growthSection,
  telemetryWriteSection,
  telemetryTickSection,
  telemetryReadSection,
  pageSection,
  vitalsSection,
  deploySection,
  alertsSection,
  embedSection,
  scaleOutSection,
];
