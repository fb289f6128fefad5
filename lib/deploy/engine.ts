// One step of a rollout: given the rollout, its targets, what the collector knows
// about each cluster, and the time, decide what changes now — targets deferred or
// started, checks due, the failure threshold, soak, the next wave, completion.
// Pure and idempotent: the runner calls it every tick, persists the result with
// compare-and-set, and enqueues the jobs (keyed, so a repeated tick adds nothing).
import type { Strategy } from "./strategy";
import {
  DEFERRED_STATES,
  IN_FLIGHT_STATES,
  isExpired,
  STARTABLE_STATES,
  type TargetState,
  type TargetStatus,
  TERMINAL_STATES,
  transition,
} from "./target-state";

export type RolloutState = "running" | "paused" | "completed" | "aborted" | "rolled-back";

export interface EngineTarget extends TargetStatus {
  id: string;
  clusterId: string;
  siteId: string;
  wave: number;
  ord: number;
  /** apply attempts started so far */
  attempts: number;
  /** when the next health check is due (rolling out, or the soak re-check of a ready target) */
  nextCheckAt: number | null;
  lastCheckedAt: number | null;
}

export interface ClusterFacts {
  reach: "fresh" | "stale" | "unreachable" | "unknown";
  /** the sentence the fleet page shows ("unreachable for 4 min: connection refused") */
  reachReason: string;
  /** inside the site's expected-offline window (a vehicle at night) */
  isExpectedOffline: boolean;
  /** the collector's last successful contact (ms), null when never */
  lastSeenAt: number | null;
  maintenance: { reason: string; endsAt: number | null } | null;
}

export interface WaveProgress {
  name: string;
  size: number;
  startedAt: number | null;
  /** every target terminal or waiting for its site */
  settledAt: number | null;
  soakUntil: number | null;
  doneAt: number | null;
  /** failures the operator accepted when resuming; the threshold counts beyond them */
  acknowledgedFailed: number;
}

export interface EngineRollout {
  state: RolloutState;
  stateReason: string;
  currentWave: number;
  waves: WaveProgress[];
  strategy: Strategy;
}

export interface JobRequest {
  targetId: string;
  phase: "apply" | "check";
  /** idempotency key: a repeated decision enqueues nothing new */
  key: string;
  runAt: number;
  /** what the job is for: the apply attempt, or the check's due time (a stale job sees it moved on) */
  ref: number;
}

export interface Decision {
  /** targets whose status changed, in full */
  targets: EngineTarget[];
  jobs: JobRequest[];
  /** the rollout, when it changed */
  rollout: EngineRollout | null;
  /** what happened, for the rollout's event log */
  events: string[];
}

export function formatWhen(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Math.round(h * 10) / 10} h` : `${Math.round(ms / 60_000)} min`;
}

/** Where a startable target has to wait, or null when it may start now. */
export function deferral(facts: ClusterFacts | undefined): { state: TargetState; reason: string } | null {
  if (!facts) return { state: "waiting-site", reason: "the collector has not reached this cluster yet" };
  if (facts.maintenance) {
    const until = facts.maintenance.endsAt ? ` until ${formatWhen(facts.maintenance.endsAt)}` : "";
    return { state: "held", reason: `site in maintenance${until}: ${facts.maintenance.reason}` };
  }
  if (facts.reach === "fresh") return null;
  if (facts.isExpectedOffline)
    return { state: "waiting-window", reason: `inside its expected offline window (${facts.reachReason})` };
  return { state: "waiting-site", reason: facts.reachReason };
}

function thresholdExceeded(failed: number, size: number, s: Strategy): boolean {
  if (failed > s.failureThreshold.maxFailed) return true;
  const pct = s.failureThreshold.maxFailedPercent;
  return pct !== undefined && size > 0 && (failed * 100) / size > pct;
}

export function summarize(targets: Pick<EngineTarget, "state">[]): string {
  const counts = new Map<TargetState, number>();
  for (const t of targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts.entries()].map(([state, n]) => `${n} ${state}`).join(" · ");
}

export function decide(
  rollout: EngineRollout,
  input: EngineTarget[],
  factsOf: (clusterId: string) => ClusterFacts | undefined,
  now: number,
): Decision {
  const decision: Decision = { targets: [], jobs: [], rollout: null, events: [] };
  if (rollout.state !== "running" && rollout.state !== "paused") return decision;
  const s = rollout.strategy;
  const expiryMs = s.expiryHours * 3_600_000;
  const current = new Map(input.map((t) => [t.id, t]));
  const changed = new Set<string>();
  const set = (next: EngineTarget) => {
    if (next === current.get(next.id)) return;
    current.set(next.id, next);
    changed.add(next.id);
  };
  let r: EngineRollout = rollout;
  const patch = (next: Partial<EngineRollout>) => {
    r = { ...r, ...next };
  };
  const setWave = (index: number, next: Partial<WaveProgress>) => {
    patch({ waves: r.waves.map((w, i) => (i === index ? { ...w, ...next } : w)) });
  };
  const isActive = (t: EngineTarget) => t.wave <= r.currentWave;

  // 1. Expiry, and where each startable target must wait (its site, its window, its maintenance).
  const eligible: EngineTarget[] = [];
  for (const t of input) {
    if (!isActive(t) || !STARTABLE_STATES.has(t.state)) continue;
    if (isExpired(t, expiryMs, now)) {
      set(
        transition(
          t,
          "expired",
          `waited ${hours(now - (t.waitingSince ?? now))} for the site; not applied (${t.reason})`,
          now,
        ),
      );
      continue;
    }
    const facts = factsOf(t.clusterId);
    const wait = deferral(facts);
    if (wait) set(transition(t, wait.state, wait.reason, now));
    // A cluster that stopped answering Outpost starts again only after the collector has reached
    // it since (its freshness may date from before the hang).
    else if (t.state === "waiting-site" && (facts?.lastSeenAt ?? 0) <= t.since) continue;
    else eligible.push(t);
  }

  // 2. The failure threshold, per wave, counting failures the operator has not accepted.
  if (r.state === "running") {
    for (let w = 0; w <= r.currentWave && w < r.waves.length; w++) {
      const wave = r.waves[w] as WaveProgress;
      const inWave = [...current.values()].filter((t) => t.wave === w);
      const failed = inWave.filter((t) => t.state === "failed");
      const unaccepted = failed.length - wave.acknowledgedFailed;
      if (unaccepted > 0 && thresholdExceeded(unaccepted, wave.size, s) && s.failureAction === "pause") {
        const first = failed.sort((a, b) => a.since - b.since)[0];
        const reason = `wave ${w + 1} (${wave.name}): ${failed.length} of ${wave.size} failed${first ? ` — ${first.reason}` : ""}`;
        patch({ state: "paused", stateReason: reason });
        decision.events.push(`paused: ${reason}`);
        break;
      }
    }
  }

  // 3. Start eligible targets, oldest wave first, within maxInFlight and per-site limits.
  const inFlight = [...current.values()].filter((t) => IN_FLIGHT_STATES.has(t.state));
  const perSite = new Map<string, number>();
  for (const t of inFlight) perSite.set(t.siteId, (perSite.get(t.siteId) ?? 0) + 1);
  let slots = s.maxInFlight - inFlight.length;
  eligible.sort((a, b) => a.wave - b.wave || a.ord - b.ord);
  for (const candidate of eligible) {
    const t = current.get(candidate.id) as EngineTarget;
    const siteCount = perSite.get(t.siteId) ?? 0;
    const canStart = r.state === "running" && slots > 0 && siteCount < s.maxInFlightPerSite;
    if (!canStart) {
      const why =
        r.state !== "running"
          ? "rollout paused"
          : slots <= 0
            ? `waiting for a free slot (${s.maxInFlight} in flight)`
            : `waiting for a free slot at this site (${s.maxInFlightPerSite} at once)`;
      set(transition(t, "queued", DEFERRED_STATES.has(t.state) ? `site is back; ${why}` : why, now));
      continue;
    }
    const attempts = t.attempts + 1;
    set({
      ...transition(t, "preflight", attempts > 1 ? `starting (attempt ${attempts})` : "starting", now),
      attempts,
    });
    decision.jobs.push({
      targetId: t.id,
      phase: "apply",
      key: `${t.id}:apply:${attempts}`,
      runAt: now,
      ref: attempts,
    });
    slots--;
    perSite.set(t.siteId, siteCount + 1);
  }

  // 4. Health checks that are due (rolling out, or the soak re-check of ready targets).
  for (const t of current.values()) {
    if (
      (t.state === "rolling-out" || t.state === "ready") &&
      t.nextCheckAt !== null &&
      t.nextCheckAt <= now
    ) {
      decision.jobs.push({
        targetId: t.id,
        phase: "check",
        key: `${t.id}:check:${t.nextCheckAt}`,
        runAt: now,
        ref: t.nextCheckAt,
      });
    }
  }

  // 5. The current wave: settle, soak (with a re-check of its ready targets), then the next wave.
  if (r.state === "running" && r.currentWave < r.waves.length) {
    const w = r.currentWave;
    const wave = r.waves[w] as WaveProgress;
    const inWave = [...current.values()].filter((t) => t.wave === w);
    // Settled: nothing in flight or queued, and something proven (a wave of only absent sites, e.g. an
    // offline canary, waits for them instead of letting the next wave go unverified).
    const isSettled =
      inWave.every((t) => TERMINAL_STATES.has(t.state) || DEFERRED_STATES.has(t.state)) &&
      (inWave.some((t) => t.state === "ready") || inWave.every((t) => TERMINAL_STATES.has(t.state)));
    if (wave.startedAt === null) setWave(w, { startedAt: now });
    if (isSettled && wave.settledAt === null) {
      const soakUntil = now + s.soakSeconds * 1000;
      setWave(w, { settledAt: now, soakUntil });
      if (s.soakSeconds > 0) {
        for (const t of inWave) if (t.state === "ready") set({ ...t, nextCheckAt: soakUntil });
        decision.events.push(`wave ${w + 1} (${wave.name}) settled; soaking until ${formatWhen(soakUntil)}`);
      }
    }
    const soaked = r.waves[w] as WaveProgress;
    if (soaked.settledAt !== null && soaked.soakUntil !== null && now >= soaked.soakUntil) {
      const isVerified =
        s.soakSeconds === 0 ||
        [...current.values()]
          .filter((t) => t.wave === w && t.state === "ready")
          .every((t) => (t.lastCheckedAt ?? 0) >= (soaked.soakUntil as number));
      if (isVerified) {
        setWave(w, { doneAt: now });
        if (w + 1 < r.waves.length) {
          patch({ currentWave: w + 1 });
          setWave(w + 1, { startedAt: now });
          decision.events.push(`wave ${w + 2} (${(r.waves[w + 1] as WaveProgress).name}) started`);
        } else {
          patch({ currentWave: r.waves.length });
          decision.events.push("all waves done");
        }
      }
    }
  }

  // 6. Completion: every wave done and every target settled for good.
  if (r.state === "running" && r.currentWave >= r.waves.length) {
    const all = [...current.values()];
    const open = all.filter((t) => !TERMINAL_STATES.has(t.state));
    if (open.length === 0) {
      patch({ state: "completed", stateReason: summarize(all) });
      decision.events.push(`completed: ${summarize(all)}`);
    } else {
      const waiting = open.filter((t) => DEFERRED_STATES.has(t.state) || t.state === "queued");
      const latest = Math.max(...waiting.map((t) => (t.waitingSince ?? now) + expiryMs), now);
      patch({
        stateReason:
          waiting.length === open.length
            ? `all waves done; ${waiting.length} waiting for their site (applied when back, expire by ${formatWhen(latest)})`
            : `all waves done; ${open.length} still in progress`,
      });
    }
  }

  decision.targets = [...changed].map((id) => current.get(id) as EngineTarget);
  if (JSON.stringify(r) !== JSON.stringify(rollout)) decision.rollout = r;
  return decision;
}

/** A new rollout's wave bookkeeping, from the planned waves. */
export function initialWaves(planned: { name: string; clusterIds: string[] }[]): WaveProgress[] {
  return planned.map((w) => ({
    name: w.name,
    size: w.clusterIds.length,
    startedAt: null,
    settledAt: null,
    soakUntil: null,
    doneAt: null,
    acknowledgedFailed: 0,
  }));
}

/** Resuming a paused rollout: accept its failures (or queue them again), and run. */
export function resume(
  rollout: EngineRollout,
  targets: EngineTarget[],
  options: { retryFailed: boolean; reason: string },
  now: number,
): { rollout: EngineRollout; targets: EngineTarget[] } {
  const retried = options.retryFailed
    ? targets
        .filter((t) => t.state === "failed" && t.wave <= rollout.currentWave)
        .map((t) => transition(t, "queued", `retry after resume (${t.reason})`, now))
    : [];
  const retriedIds = new Set(retried.map((t) => t.id));
  const waves = rollout.waves.map((w, i) => ({
    ...w,
    acknowledgedFailed: targets.filter((t) => t.wave === i && t.state === "failed" && !retriedIds.has(t.id))
      .length,
    // A wave that settled with failures may need to settle again once the retries finish.
    ...(retried.some((t) => t.wave === i) ? { settledAt: null, soakUntil: null, doneAt: null } : {}),
  }));
  const firstReopened = waves.findIndex((w, i) => i <= rollout.currentWave && w.doneAt === null);
  return {
    rollout: {
      ...rollout,
      state: "running",
      stateReason: options.reason,
      waves,
      currentWave: firstReopened >= 0 ? Math.min(firstReopened, rollout.currentWave) : rollout.currentWave,
    },
    targets: retried,
  };
}

/** Aborting: nothing more starts; what has not finished is cancelled (what was applied stays applied). */
export function abort(
  rollout: EngineRollout,
  targets: EngineTarget[],
  reason: string,
  now: number,
): { rollout: EngineRollout; targets: EngineTarget[] } {
  const cancelled = targets
    .filter((t) => !TERMINAL_STATES.has(t.state))
    .map((t) =>
      transition(
        t,
        "cancelled",
        IN_FLIGHT_STATES.has(t.state)
          ? `${reason} while ${t.state}; anything already applied stays on the cluster`
          : reason,
        now,
      ),
    );
  return { rollout: { ...rollout, state: "aborted", stateReason: reason }, targets: cancelled };
}
