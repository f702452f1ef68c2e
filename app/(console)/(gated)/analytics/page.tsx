import type { Metadata } from "next";

import { AnalyticsConsole } from "@/components/analytics/analytics-console";
import { Forbidden } from "@/components/shell/forbidden";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Analytics" };

/** Reading windows needs read; creating a rule needs write (the API checks both again). */
export default async function Analytics() {
  const user = await currentUser();
  if (!user?.principal.permissions.has("read")) {
    return (
      <Forbidden
        title="403 · Read access needed"
        description="Analytics shows the streams' window aggregates, which needs the read permission."
      />
    );
  }
  return <AnalyticsConsole canWrite={user.principal.permissions.has("write")} />;
}
