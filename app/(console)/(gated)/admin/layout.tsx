import type { ReactNode } from "react";

import { Forbidden } from "@/components/shell/forbidden";
import { isAdmin } from "@/server/auth/principal";

import { currentUser } from "../../current-user";

/**
 * Administration is for admins. Anyone else who types an admin URL gets an explanation rather
 * than a page whose every request would be refused (the API checks again regardless).
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user || !isAdmin(user.principal)) return <Forbidden />;
  return children;
}
