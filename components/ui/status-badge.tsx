import type { ComponentPropsWithoutRef } from "react";

import { Badge } from "./badge";
import type { Tone } from "./tone-icon";

/** Overall report statuses and per-dependency statuses share one badge vocabulary. */
export type Status = "ok" | "degraded" | "unavailable" | "up" | "down" | "not_configured";

const BADGES: Record<Status, { tone: Tone; label: string }> = {
  ok: { tone: "success", label: "OK" },
  up: { tone: "success", label: "Up" },
  degraded: { tone: "warning", label: "Degraded" },
  down: { tone: "danger", label: "Down" },
  unavailable: { tone: "danger", label: "Unavailable" },
  not_configured: { tone: "neutral", label: "Not configured" },
};

type StatusBadgeProps = Omit<ComponentPropsWithoutRef<"span">, "children"> & { status: Status };

export function StatusBadge({ status, ...rest }: StatusBadgeProps) {
  const { tone, label } = BADGES[status];
  return (
    <Badge {...rest} tone={tone} data-status={status}>
      {label}
    </Badge>
  );
}
