import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";
import type { ApiKeyStatus } from "@/server/auth/api-keys/api-key.schemas";

const BADGES: Record<ApiKeyStatus, { tone: Tone; label: string }> = {
  active: { tone: "success", label: "Active" },
  rotated: { tone: "warning", label: "Rotated" },
  expired: { tone: "neutral", label: "Expired" },
  revoked: { tone: "danger", label: "Revoked" },
};

export function ApiKeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  const { tone, label } = BADGES[status];
  return (
    <Badge tone={tone} data-status={status} data-testid="api-key-status">
      {label}
    </Badge>
  );
}
