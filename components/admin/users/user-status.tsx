import { Badge } from "@/components/ui/badge";

import type { UserRow } from "./user-types";

/** Disabled beats a pending password change, which beats active. */
export function UserStatusBadge({ user }: { user: UserRow }) {
  if (user.disabled) return <Badge tone="danger">Disabled</Badge>;
  if (user.mustChangePassword) return <Badge tone="warning">Password change pending</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export function MfaBadge({ enabled }: { enabled: boolean }) {
  return <Badge tone={enabled ? "success" : "neutral"}>{enabled ? "On" : "Off"}</Badge>;
}
