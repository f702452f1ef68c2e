import type { Metadata } from "next";

import { AuditLog } from "@/components/admin/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, changes to users, roles and keys, and who made them. Newest first."
      />
      <AuditLog />
    </>
  );
}
