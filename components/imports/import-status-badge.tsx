import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";

import type { ImportStatus } from "./import-types";

const BADGES: Record<ImportStatus, { tone: Tone; label: string }> = {
  uploading: { tone: "active", label: "Uploading" },
  queued: { tone: "neutral", label: "Queued" },
  running: { tone: "active", label: "Running" },
  succeeded: { tone: "success", label: "Succeeded" },
  failed: { tone: "danger", label: "Failed" },
  cancelled: { tone: "warning", label: "Cancelled" },
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const { tone, label } = BADGES[status];
  return (
    <Badge tone={tone} data-testid="import-status" data-status={status}>
      {label}
    </Badge>
  );
}
