import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { currentUser } from "../current-user";

/**
 * Until an invited user has replaced their password, or a user whose role requires MFA has
 * enrolled, only those two pages open (the tRPC API refuses everything else the same way).
 */
export default async function GatedLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword) redirect("/account/password");
  if (user.mfaEnrollmentRequired) redirect("/account/security");
  return children;
}
