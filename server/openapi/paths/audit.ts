import { AUTHENTICATED } from "../components";
import { errorResponses } from "../error-responses";
import { type ParameterObject, type PathItemObject } from "../openapi-types";

const AUDIT = ["Audit"];

const filter = (name: string, description: string, format?: string): ParameterObject => ({
  name,
  in: "query",
  description,
  schema: format ? { type: "string", format } : { type: "string" },
});

/** The audit log for administrators (the console's Audit log page downloads through this). */
export function auditPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/audit/export": {
      get: {
        tags: AUDIT,
        operationId: "exportAuditLog",
        summary: "Export the audit log as CSV",
        description:
          "Administrators only (the admin role, and `read` on an API key). Every entry that " +
          "matches the filters, newest first, streamed: `id,at,actor_id,actor_email,actor_type," +
          "action,resource_type,resource_id,ip,request_id,summary` (`summary` is the entry's " +
          "JSON; a value that starts like a spreadsheet formula gets a leading `'`).",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          filter("actorEmail", "Only entries by the user with this email (any case)."),
          filter("action", "Only actions starting with this, e.g. `auth.` or `record.update`."),
          filter("resourceType", "Only entries about this kind of resource, e.g. `user`."),
          filter("resourceId", "Only entries about the resource with this id (exact)."),
          filter("from", "ISO 8601: only entries at or after this time.", "date-time"),
          filter("to", "ISO 8601: only entries before this time.", "date-time"),
        ],
        responses: {
          "200": {
            description: "The entries, one per line after the header.",
            content: {
              "text/csv": {
                schema: { type: "string" },
                example:
                  "id,at,actor_id,actor_email,actor_type,action,resource_type,resource_id,ip,request_id,summary\r\n" +
                  '42,2026-12-05T10:00:00.000Z,…,ada@example.com,session,user.invite,user,…,127.0.0.1,…,"{""roles"":[""reader""]}"\r\n',
              },
            },
          },
          ...errorResponses(400, 401, 403, 500, 503),
        },
      },
    },
  };
}
