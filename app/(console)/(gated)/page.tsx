import type { Metadata } from "next";

import { SystemStatus } from "@/components/dashboard/system-status";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Live health of this instance and the services it depends on."
      />
      <SystemStatus />
    </>
  );
}
