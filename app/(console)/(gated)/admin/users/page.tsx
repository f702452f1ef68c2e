import type { Metadata } from "next";

import { UsersAdmin } from "@/components/admin/users/users-admin";

import { currentUser } from "../../../current-user";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  // The admin layout has already checked the user; this only names "you" in the table.
  const user = await currentUser();
  return <UsersAdmin currentUserId={user?.principal.userId ?? ""} />;
}
