import type { Metadata } from "next";

import { AuditLog } from "@/components/admin/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_ACTION_GROUPS, AUDIT_RESOURCE_TYPES } from "@/server/audit/audit-actions";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, MFA and API key changes, changes to users and roles, and every data change — datasets, records, embeddings, imports, rules and webhooks — with who made each, from where, and what changed. Newest first; entries are never edited or deleted."
      />
      <AuditLog
        options={{ actionGroups: AUDIT_ACTION_GROUPS, resourceTypes: AUDIT_RESOURCE_TYPES }}
      />
    </>
  );
}
