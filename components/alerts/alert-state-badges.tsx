import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";

import type { AlertRule } from "@/components/analytics/realtime-types";

import styles from "./alerts-console.module.css";

type State = keyof AlertRule["states"];
export const STATE_TONES: Record<State, Tone> = {
  firing: "danger",
  pending: "warning",
  resolved: "success",
  inactive: "neutral",
};

/** How many groups are in each state, worst first; nothing for a state no group is in. */
export function AlertStateBadges({ states }: { states: AlertRule["states"] }) {
  const shown = (["firing", "pending", "resolved", "inactive"] as const).filter(
    (s) => states[s] > 0,
  );
  if (shown.length === 0) return <span>No windows yet</span>;
  return (
    <span className={styles.states}>
      {shown.map((state) => (
        <Badge key={state} tone={STATE_TONES[state]} data-state={state} icon={false}>
          {states[state]} {state}
        </Badge>
      ))}
    </span>
  );
}
