import type { Metadata } from "next";

import { QueryPage } from "@/components/query/query-page";
import { Forbidden } from "@/components/shell/forbidden";

import { currentUser } from "../../current-user";

export const metadata: Metadata = { title: "Query" };

/** GraphQL as the signed-in user needs the read permission (every field's service checks its own). */
export default async function Query() {
  const user = await currentUser();
  if (!user?.principal.permissions.has("read")) {
    return (
      <Forbidden
        title="403 · Read access needed"
        description="The Query page runs GraphQL against the Lake's data, which needs the read permission. Ask an administrator for a role that grants it."
      />
    );
  }
  return <QueryPage userId={user.principal.userId} />;
}
