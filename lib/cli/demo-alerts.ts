import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createContactPoint } from "@/lib/alerts/contact-points";
import { type DemoSink, startDemoSink } from "@/lib/alerts/demo-sink";
import type { RuleInput } from "@/lib/alerts/rules";
import { createRule, listRules, updateRule } from "@/lib/alerts/rules-store";
import { db } from "@/lib/db/client";
import { encryptSecret } from "@/lib/secrets/crypto";
import { setThreshold } from "@/lib/thresholds/store";

// The demo's alerting: a local webhook sink shown as a contact point with its
// received messages, the fleet-default temperature rule (and its companions)
// with periods short enough to watch an alert go Pending → Firing → Resolved
// within the demo story's five minutes, and the wind farm's own level.

export const DEMO_SINK_NAME = "Demo webhook sink";
/** Turbine boards run warm (73–83 °C on their own): the farm alerts above 85 °C, the fleet above 80 °C. */
export const WIND_FARM_SLUG = "wf-north-sea-1";
export const WIND_FARM_CELSIUS = 85;

function sinkSecret(dataDir: string): string {
  const file = path.join(dataDir, "demo-sink-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const DEMO_TIMING = { groupWaitSeconds: 10, groupIntervalSeconds: 60, repeatIntervalSeconds: 4 * 3600 };

function demoRules(sinkId: string): RuleInput[] {
  const to = { contactPointIds: [sinkId], ...DEMO_TIMING };
  return [
    { name: "Board temperature", kind: "temperature", forSeconds: 60, clearForSeconds: 60, ...to },
    { name: "Site unreachable", kind: "site-unreachable", forSeconds: 0, clearForSeconds: 60, ...to },
    { name: "Node NotReady", kind: "node-not-ready", forSeconds: 60, clearForSeconds: 30, ...to },
    { name: "Sensor silent", kind: "sensor-silent", noDataSeconds: 300, ...to },
  ];
}

export async function setupDemoAlerts(opts: { dataDir: string; port: number }): Promise<DemoSink> {
  const secret = sinkSecret(opts.dataDir);
  const sink = await startDemoSink({ port: opts.port, secret });
  const existing = await db().alertContactPoint.findUnique({ where: { name: DEMO_SINK_NAME } });
  let sinkId: string;
  if (existing) {
    // Same secret as the sink checks; the port may differ from the last run.
    await db().alertContactPoint.update({
      where: { id: existing.id },
      data: { url: sink.url, secretEnc: encryptSecret(secret), isDemoSink: true, isEnabled: true },
    });
    sinkId = existing.id;
  } else {
    sinkId = (
      await createContactPoint(
        { name: DEMO_SINK_NAME, kind: "webhook", url: sink.url },
        { isDemoSink: true, secret },
      )
    ).contactPoint.id;
  }
  const rules = await listRules();
  for (const r of demoRules(sinkId)) {
    const same = rules.find((x) => x.kind === r.kind && x.name === r.name);
    if (!same) await createRule(r, "demo");
    else if (!same.contactPointIds.includes(sinkId))
      await updateRule(same.id, { ...same, contactPointIds: [...same.contactPointIds, sinkId] }, "demo");
  }
  const farm = await db().site.findUnique({ where: { slug: WIND_FARM_SLUG }, select: { id: true } });
  if (farm)
    await setThreshold(
      { level: "site", siteId: farm.id },
      { warnCelsius: WIND_FARM_CELSIUS, criticalCelsius: 95 },
      "demo",
    );
  return sink;
}
