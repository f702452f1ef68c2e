import type { CheckboxOption } from "@/components/ui/checkbox-group";

import type { RoleRow } from "./user-types";

/** Roles as checkbox options, each explained by its permissions and MFA rule. */
export function roleOptions(roles: readonly RoleRow[]): CheckboxOption<string>[] {
  return roles.map((role) => ({
    value: role.name,
    label: role.name,
    description: [
      role.permissions.join(", "),
      role.requireMfa ? "requires two-factor authentication" : null,
      role.description,
    ]
      .filter(Boolean)
      .join(" · "),
  }));
}
