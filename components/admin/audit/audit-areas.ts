import type { AuditActionArea } from "@/server/audit/audit-actions";

/** How the action picker names each area of AUDIT_ACTIONS (a new area fails typecheck here). */
export const AUDIT_AREA_LABELS: Record<AuditActionArea, string> = {
  auth: "Sign-in",
  mfa: "Two-factor authentication",
  user: "Users",
  role: "Roles",
  api_key: "API keys",
  dataset: "Datasets",
  record: "Records",
  embedding: "Embeddings",
  vector_index: "Vector indexes",
  import: "Imports",
  aggregation_rule: "Aggregation rules",
  alert_rule: "Alert rules",
  webhook: "Webhooks",
};

/** The picker's lists, as the server page hands them to the client. */
export type AuditPickerOptions = {
  actionGroups: readonly { area: AuditActionArea; actions: readonly string[] }[];
  resourceTypes: readonly string[];
};
