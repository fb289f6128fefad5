// What a Telegraf DaemonSet on each simulated node would report: `temp` (board sensor),
// `ping` (towards the hub) and, on turbine controllers, `turbine`. Pure functions of the node's
// profile and the sample time, plus the live fault inputs passed in by the caller.

import type { SiteKind, TelemetryNode, TemperatureHover } from "./contract";
import type { LinePoint } from "./line-protocol";
import { between, hashInts, hashString, smoothNoise, unit } from "./random";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Target every node pings; one constant value keeps the `url` tag at cardinality 1. */
export const PING_TARGET = "hub.outpost.internal";
export const PING_COUNT = 5;
/** Telegraf ping: 0 success, 1 no such host, 2 ping error. */
export const PING_RESULT_OK = 0;
export const PING_RESULT_ERROR = 2;

export type BoardSensor = "cpu_thermal" | "coretemp_package_id_0";

export interface NodeProfile {
  node: TelemetryNode;
  /** the node's key into all per-node randomness */
  key: number;
  siteKey: number;
  sensor: BoardSensor;
  baseTempC: number;
  dailyAmplitudeC: number;
  weatherAmplitudeC: number;
  jitterC: number;
  /** boards that idle at 74–79 °C and brush an 80 °C alert */
  isHotBoard: boolean;
  utcOffsetHours: number;
  pingBaseMs: number;
  pingLossPerPacket: number;
  turbineRatedKw: number;
  gearRatio: number;
  wakeFactor: number;
  yawMisalignDeg: number;
  tags: Readonly<Record<string, string>>;
}

interface KindTraits {
  /** share of Raspberry-Pi-class arm64 boards (`cpu_thermal`); the rest are x86 (`coretemp`) */
  piShare: number;
  isOutdoor: boolean;
  rttMs: [number, number];
  lossPerPacket: number;
}

const TRAITS: Record<SiteKind, KindTraits> = {
  store: { piShare: 0.75, isOutdoor: false, rttMs: [20, 60], lossPerPacket: 0.002 },
  "wind-farm": { piShare: 0.2, isOutdoor: true, rttMs: [40, 200], lossPerPacket: 0.01 },
  vehicle: { piShare: 0.5, isOutdoor: true, rttMs: [80, 300], lossPerPacket: 0.04 },
  factory: { piShare: 0.3, isOutdoor: false, rttMs: [10, 40], lossPerPacket: 0.001 },
  other: { piShare: 0.5, isOutdoor: false, rttMs: [20, 80], lossPerPacket: 0.005 },
};

/** UTC offsets of places an edge fleet plausibly spans (Americas, Europe, Asia-Pacific). */
const UTC_OFFSETS = [-8, -7, -6, -5, -4, -3, 0, 1, 2, 3, 8, 9, 10];
const TURBINE_RATINGS_KW = [2_000, 3_000, 3_600, 4_200];

function pick<T>(items: readonly T[], fraction: number): T {
  const item = items[Math.min(items.length - 1, Math.floor(fraction * items.length))];
  if (item === undefined) throw new Error("pick from empty list");
  return item;
}

export function nodeKey(node: TelemetryNode): number {
  // Identity is mixed in so nodes that were handed the same seed still differ.
  return hashInts(node.seed, hashString(`${node.site}\u0000${node.cluster}\u0000${node.node}`));
}

/** Where in each interval this node samples; spreads a fleet evenly over the shared ticker. */
export function sampleOffsetMs(node: TelemetryNode, intervalMs: number): number {
  return hashInts(nodeKey(node), 0x5a) % Math.max(1, Math.floor(intervalMs));
}

export function buildProfile(node: TelemetryNode): NodeProfile {
  const key = nodeKey(node);
  const siteKey = hashString(node.site);
  const traits = TRAITS[node.siteKind] ?? TRAITS.other;
  const isPi = unit(key, 1) < traits.piShare;
  const isHotBoard = isPi && unit(key, 2) < 0.15;
  let baseTempC: number;
  if (isHotBoard) baseTempC = between(75, 77.5, key, 3);
  else if (isPi) baseTempC = between(55, 72, key, 3);
  else baseTempC = between(42, 62, key, 3);

  // Vehicles are either on cellular or on satellite; satellite adds a long fixed path.
  const isSatellite = node.siteKind === "vehicle" && unit(siteKey, 20) < 0.3;
  const pingBaseMs = isSatellite ? between(550, 900, siteKey, 21) : between(...traits.rttMs, siteKey, 21);

  return {
    node,
    key,
    siteKey,
    sensor: isPi ? "cpu_thermal" : "coretemp_package_id_0",
    baseTempC,
    // Hot boards sit in a cooled cabinet that runs near its limit: small swings, mostly under 80.
    dailyAmplitudeC: isHotBoard ? 1 : between(2, traits.isOutdoor ? 7 : 4, key, 4),
    weatherAmplitudeC: isHotBoard ? 0.5 : traits.isOutdoor ? 4 : 1.2,
    jitterC: isHotBoard ? 0.8 : 0.4,
    isHotBoard,
    utcOffsetHours: pick(UTC_OFFSETS, unit(siteKey, 10)),
    pingBaseMs,
    pingLossPerPacket: isSatellite ? 0.03 : traits.lossPerPacket,
    turbineRatedKw: pick(TURBINE_RATINGS_KW, unit(siteKey, 30)),
    gearRatio: between(95, 115, siteKey, 31),
    wakeFactor: between(0.85, 1.04, key, 32),
    yawMisalignDeg: between(-4, 4, key, 33),
    tags: { site: node.site, cluster: node.cluster, host: node.node },
  };
}

function localHour(profile: NodeProfile, timeMs: number): number {
  const hours = timeMs / HOUR_MS + profile.utcOffsetHours;
  return ((hours % 24) + 24) % 24;
}

/** Site weather in [-1, 1]: slow (hours) with a faster component, shared by every node of the site. */
function weather(profile: NodeProfile, timeMs: number): number {
  return (
    0.75 * smoothNoise(profile.siteKey ^ 0x77, timeMs, 3 * HOUR_MS) +
    0.25 * smoothNoise(profile.siteKey ^ 0x78, timeMs, 20 * MINUTE_MS)
  );
}

/** A short hot spell (stuck fan, heavy job) in roughly 4% of each node's hours. */
function excursionC(profile: NodeProfile, timeMs: number): number {
  const hour = Math.floor(timeMs / HOUR_MS);
  if (unit(profile.key, hour, 7) >= 0.04) return 0;
  const startMs = hour * HOUR_MS + between(0, 40, profile.key, hour, 8) * MINUTE_MS;
  const durationMs = between(8, 20, profile.key, hour, 9) * MINUTE_MS;
  const peakC = between(4, 9, profile.key, hour, 10);
  const phase = (timeMs - startMs) / durationMs;
  return phase > 0 && phase < 1 ? peakC * Math.sin(Math.PI * phase) : 0;
}

function loadC(profile: NodeProfile, timeMs: number): number {
  const noise = smoothNoise(profile.key ^ 0x10ad, timeMs, 15 * MINUTE_MS);
  if (profile.node.siteKind === "store") {
    // Tills, kitchen screens and ordering run during opening hours.
    const hour = localHour(profile, timeMs);
    const isOpen = hour >= 9 && hour < 21;
    return (isOpen ? 2.5 : 0) + 1.5 * noise;
  }
  return 2 * noise;
}

export function boardTemperatureC(profile: NodeProfile, timeMs: number, overheatC: number): number {
  const hour = localHour(profile, timeMs);
  // Warmest mid-afternoon, coolest before dawn.
  const daily = profile.dailyAmplitudeC * Math.cos((2 * Math.PI * (hour - 15)) / 24);
  const jitter = (unit(profile.key, timeMs, 5) * 2 - 1) * profile.jitterC;
  const value =
    profile.baseTempC +
    daily +
    profile.weatherAmplitudeC * weather(profile, timeMs) +
    loadC(profile, timeMs) +
    excursionC(profile, timeMs) +
    jitter +
    overheatC;
  return Math.round(Math.min(125, Math.max(-20, value)) * 10) / 10;
}

/**
 * A hovering board: center ± amplitude as a sine over the period, plus a little
 * sensor noise (±0.2 °C) that never leaves the band, so it crosses the center
 * on every swing — what an alert threshold right at the center sees.
 */
export function hoverTemperatureC(profile: NodeProfile, timeMs: number, hover: TemperatureHover): number {
  const phase = (2 * Math.PI * (timeMs - hover.startedAtMs)) / hover.periodMs;
  const noise = (unit(profile.key ^ 0x40e4, timeMs, 5) * 2 - 1) * Math.min(0.2, hover.amplitudeC / 10);
  const swing = Math.sin(phase) * Math.max(0, hover.amplitudeC - Math.abs(noise));
  return Math.round((hover.celsius + swing + noise) * 10) / 10;
}

export interface PingSample {
  floats: Record<string, number>;
  ints: Record<string, number>;
}

export function pingSample(profile: NodeProfile, timeMs: number, isUplinkDown: boolean): PingSample {
  if (isUplinkDown) {
    // What the site's Telegraf records while its upstream is dead: every probe lost, no RTTs.
    return {
      floats: { percent_packet_loss: 100 },
      ints: { packets_transmitted: PING_COUNT, packets_received: 0, result_code: PING_RESULT_ERROR },
    };
  }
  const drift = smoothNoise(profile.siteKey ^ 0x9199, timeMs, 10 * MINUTE_MS);
  // Links degrade for a while (congestion, tower hand-over) rather than per packet.
  const degraded = Math.max(0, smoothNoise(profile.siteKey ^ 0xdeed, timeMs, 30 * MINUTE_MS) - 0.6) / 0.4;
  const lossPerPacket = Math.min(0.9, profile.pingLossPerPacket * (1 + 8 * degraded));
  let received = 0;
  for (let i = 0; i < PING_COUNT; i++) {
    if (unit(profile.key, timeMs, 40 + i) >= lossPerPacket) received++;
  }
  const loss = Math.round(((PING_COUNT - received) / PING_COUNT) * 1000) / 10;
  if (received === 0) {
    return {
      floats: { percent_packet_loss: loss },
      ints: { packets_transmitted: PING_COUNT, packets_received: 0, result_code: PING_RESULT_ERROR },
    };
  }
  const average =
    profile.pingBaseMs *
    (1 + 0.25 * drift + 0.6 * degraded) *
    (1 + 0.1 * (unit(profile.key, timeMs, 50) - 0.5));
  const minimum = average * between(0.75, 0.95, profile.key, timeMs, 51);
  const maximum = average * between(1.1, 1.8, profile.key, timeMs, 52);
  const round3 = (value: number) => Math.round(value * 1000) / 1000;
  return {
    floats: {
      average_response_ms: round3(average),
      minimum_response_ms: round3(minimum),
      maximum_response_ms: round3(maximum),
      percent_packet_loss: loss,
    },
    ints: { packets_transmitted: PING_COUNT, packets_received: received, result_code: PING_RESULT_OK },
  };
}

const CUT_IN_MS = 3;
const RATED_MS = 12;
const CUT_OUT_MS = 25;

export function turbineSample(profile: NodeProfile, timeMs: number): Record<string, number> {
  const siteWind =
    7.5 +
    4.5 * smoothNoise(profile.siteKey ^ 0x3131, timeMs, 2 * HOUR_MS) +
    2.5 * smoothNoise(profile.siteKey ^ 0x3132, timeMs, 20 * MINUTE_MS);
  const gust = 0.6 * (unit(profile.key, timeMs, 60) * 2 - 1);
  const wind = Math.max(0, siteWind * profile.wakeFactor + gust);

  let power = 0;
  let rotor: number;
  let pitch: number;
  if (wind < CUT_IN_MS) {
    rotor = 0.5 * wind;
    pitch = 60;
  } else if (wind >= CUT_OUT_MS) {
    // Storm shutdown: blades feathered, rotor barely turning.
    rotor = 0.4;
    pitch = 88;
  } else {
    const v = Math.min(wind, RATED_MS);
    power = (profile.turbineRatedKw * (v ** 3 - CUT_IN_MS ** 3)) / (RATED_MS ** 3 - CUT_IN_MS ** 3);
    rotor = 6 + ((v - CUT_IN_MS) / (RATED_MS - CUT_IN_MS)) * 8;
    // Above rated speed the blades pitch out to hold power at its rating.
    pitch = wind > RATED_MS ? 2 + (wind - RATED_MS) * 1.8 : between(0, 2, profile.key, timeMs, 61);
  }
  const direction = 225 + 70 * smoothNoise(profile.siteKey ^ 0x4141, timeMs, 4 * HOUR_MS);
  const yaw = (((direction + profile.yawMisalignDeg) % 360) + 360) % 360;
  const ambient =
    12 + 6 * Math.cos((2 * Math.PI * (localHour(profile, timeMs) - 15)) / 24) + 5 * weather(profile, timeMs);
  const nacelle =
    ambient + 8 + 14 * (power / profile.turbineRatedKw) + 0.5 * (unit(profile.key, timeMs, 62) - 0.5);
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    power_kw: round(power, 1),
    rotor_rpm: round(rotor, 2),
    generator_rpm: round(rotor * profile.gearRatio, 1),
    pitch_deg: round(pitch, 2),
    yaw_deg: round(yaw, 1),
    wind_speed_ms: round(wind, 2),
    nacelle_temp_c: round(nacelle, 1),
  };
}

/** Every point one node reports at one sample time. */
export function samplePoints(
  profile: NodeProfile,
  timeMs: number,
  overheatC: number,
  isUplinkDown: boolean,
  hover: TemperatureHover | null = null,
): LinePoint[] {
  const ping = pingSample(profile, timeMs, isUplinkDown);
  const temp = hover
    ? hoverTemperatureC(profile, timeMs, hover)
    : boardTemperatureC(profile, timeMs, overheatC);
  const points: LinePoint[] = [
    {
      measurement: "temp",
      tags: { ...profile.tags, sensor: profile.sensor },
      floats: { temp },
      timeMs,
    },
    { measurement: "ping", tags: { ...profile.tags, url: PING_TARGET }, ...ping, timeMs },
  ];
  if (profile.node.isTurbine) {
    points.push({
      measurement: "turbine",
      tags: profile.tags,
      floats: turbineSample(profile, timeMs),
      timeMs,
    });
  }
  return points;
}
