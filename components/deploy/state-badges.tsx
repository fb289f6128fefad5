import { Badge, type Tone } from "@/components/ui/badge";
import { STATE_LABEL, type TargetState } from "@/lib/deploy/target-state";

type RolloutState = "running" | "paused" | "completed" | "aborted" | "rolled-back";

const TARGET_TONE: Record<TargetState, Tone> = {
  queued: "neutral",
  "waiting-window": "neutral",
  held: "warn",
  "waiting-site": "warn",
  preflight: "info",
  applying: "info",
  "rolling-out": "info",
  ready: "ok",
  failed: "danger",
  expired: "danger",
  "rolled-back": "neutral",
  cancelled: "neutral",
};

const TARGET_ICON: Partial<Record<TargetState, string>> = {
  "waiting-site": "◌",
  "waiting-window": "☾",
  held: "⏸",
  preflight: "…",
  applying: "↻",
  "rolling-out": "↻",
  "rolled-back": "↶",
};

export function TargetStateBadge({ state }: { state: TargetState }) {
  return (
    <Badge tone={TARGET_TONE[state]} icon={TARGET_ICON[state]}>
      {STATE_LABEL[state]}
    </Badge>
  );
}

const ROLLOUT_TONE: Record<RolloutState, Tone> = {
  running: "info",
  paused: "warn",
  completed: "ok",
  aborted: "neutral",
  "rolled-back": "neutral",
};

export function RolloutStateBadge({ state }: { state: RolloutState }) {
  return (
    <Badge tone={ROLLOUT_TONE[state]} icon={state === "running" ? "↻" : state === "paused" ? "⏸" : undefined}>
      {state === "rolled-back" ? "rolled back" : state}
    </Badge>
  );
}
