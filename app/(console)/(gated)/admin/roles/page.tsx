import type { Metadata } from "next";

import { RolesAdmin } from "@/components/admin/roles/roles-admin";

export const metadata: Metadata = { title: "Roles" };

export default function RolesPage() {
  return <RolesAdmin />;
}
