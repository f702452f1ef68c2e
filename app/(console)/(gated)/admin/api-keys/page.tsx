import type { Metadata } from "next";

import { AllApiKeys } from "@/components/api-keys/all-api-keys";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "All API keys" };

export default function AdminApiKeysPage() {
  return (
    <>
      <PageHeader
        title="All API keys"
        description="Every user's keys. Revoke one that leaked or belongs to someone who left."
      />
      <AllApiKeys />
    </>
  );
}
