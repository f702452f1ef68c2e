import { PERMISSIONS } from "../../../auth/principal";
import { apiRoute } from "../api-route";

/** Who the credential belongs to and what it may do: the first call an API consumer makes. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/me",
  permission: "authenticated",
  handler: async ({ principal }) => ({
    user_id: principal.userId,
    email: principal.email,
    roles: principal.roles,
    permissions: PERMISSIONS.filter((p) => principal.permissions.has(p)),
    via: principal.via,
    api_key_id: principal.apiKeyId ?? null,
  }),
});
