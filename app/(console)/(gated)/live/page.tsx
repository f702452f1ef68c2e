import type { Metadata } from "next";

import { LivePage } from "@/components/live/live-page";
import { Forbidden } from "@/components/shell/forbidden";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Live" };

/** Following a stream needs the read permission (the WebSocket's subscribe checks it too). */
export default async function Live() {
  const user = await currentUser();
  if (!user?.principal.permissions.has("read")) {
    return (
      <Forbidden
        title="403 · Read access needed"
        description="The Live page follows events, which needs the read permission. Ask an administrator for a role that grants it."
      />
    );
  }
  return <LivePage />;
}
