/**
 * Every action the Lake writes to the audit log, by area. The one list of them: recordAudit only
 * accepts these (AuditEntry.action), so an action cannot be written without appearing here, and
 * the console's action picker offers exactly these. Append new names; never rename one — stored
 * entries keep the name they were written with.
 */
export const AUDIT_ACTIONS = {
  auth: ["auth.sign_in.success", "auth.sign_in.failure"],
  mfa: [
    "mfa.enrollment.start",
    "mfa.enable",
    "mfa.disable",
    "mfa.reset",
    "mfa.backup_codes.regenerate",
  ],
  user: [
    "user.invite",
    "user.roles.update",
    "user.disable",
    "user.enable",
    "user.password.change",
    "user.password.reset",
  ],
  role: ["role.create", "role.update", "role.delete"],
  api_key: ["api_key.create", "api_key.rotate", "api_key.revoke"],
  dataset: ["dataset.create", "dataset.update", "dataset.delete"],
  record: ["record.create", "record.update", "record.delete", "record.archive", "record.restore"],
  embedding: ["embedding.write", "embedding.delete"],
  vector_index: ["vector_index.tune"],
  import: ["import.load", "import.cancel", "import.retry"],
  aggregation_rule: ["aggregation_rule.create", "aggregation_rule.delete"],
  alert_rule: ["alert_rule.create", "alert_rule.delete"],
  webhook: ["webhook.create", "webhook.delete"],
} as const satisfies Record<string, readonly string[]>;

export type AuditActionArea = keyof typeof AUDIT_ACTIONS;
export type AuditAction = (typeof AUDIT_ACTIONS)[AuditActionArea][number];

/** The areas in the order above, each with its actions: what the action picker lists. */
export const AUDIT_ACTION_GROUPS: readonly {
  area: AuditActionArea;
  actions: readonly AuditAction[];
}[] = (Object.keys(AUDIT_ACTIONS) as AuditActionArea[]).map((area) => ({
  area,
  actions: AUDIT_ACTIONS[area],
}));

/**
 * The resource types entries name (`resource.type`), for the resource filter's suggestions.
 * Several actions name another resource than their area: an embedding's entry names its record,
 * archive and restore name the dataset, an MFA change names the user.
 */
export const AUDIT_RESOURCE_TYPES = [
  "user",
  "role",
  "api_key",
  "dataset",
  "record",
  "vector_index",
  "import_job",
  "aggregation_rule",
  "alert_rule",
  "webhook",
] as const;
