import { PERMISSIONS } from "@/server/auth/principal";
import { apiRoute } from "@/server/http/api-route";

export const dynamic = "force-dynamic";

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
