import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";

import styles from "./connection-badge.module.css";
import type { ConnectionState, ConnectionStatus } from "./live-types";

const BADGES: Record<ConnectionStatus, { tone: Tone; label: string }> = {
  idle: { tone: "neutral", label: "Not subscribed" },
  connecting: { tone: "neutral", label: "Connecting" },
  live: { tone: "success", label: "Live" },
  reconnecting: { tone: "warning", label: "Reconnecting" },
  error: { tone: "danger", label: "Error" },
};

/**
 * The stream's state, in a polite live region; while reconnecting, why and how many attempts.
 * An error's message is the page's alert banner, not repeated here.
 */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { tone, label } = BADGES[state.status];
  const detail =
    state.status === "reconnecting"
      ? [state.message, state.attempt > 1 ? `attempt ${state.attempt}` : null]
          .filter(Boolean)
          .join(" · ")
      : "";
  return (
    <div role="status" className={styles.status}>
      <Badge tone={tone} data-testid="live-connection" data-state={state.status}>
        {label}
      </Badge>
      {detail && (
        <span className={styles.detail} data-testid="live-connection-detail">
          {detail}
        </span>
      )}
    </div>
  );
}
