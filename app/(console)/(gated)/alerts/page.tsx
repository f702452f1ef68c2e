import type { Metadata } from "next";

import { AlertsConsole } from "@/components/alerts/alerts-console";
import { Forbidden } from "@/components/shell/forbidden";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Alerts" };

/** Reading alerts needs read; creating rules and webhooks needs write (the API checks both again). */
export default async function Alerts() {
  const user = await currentUser();
  if (!user?.principal.permissions.has("read")) {
    return (
      <Forbidden
        title="403 · Read access needed"
        description="Alerts watch the window aggregates, which needs the read permission."
      />
    );
  }
  return <AlertsConsole canWrite={user.principal.permissions.has("write")} />;
}
