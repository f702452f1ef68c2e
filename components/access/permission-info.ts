import type { Permission } from "@/server/auth/principal";

/** How the console names and explains each permission (roles grant them, keys are scoped to them). */
export const PERMISSION_INFO: Record<Permission, { label: string; description: string }> = {
  read: { label: "read", description: "Read datasets, records and query results." },
  write: { label: "write", description: "Create and change datasets and records, run imports." },
  delete: { label: "delete", description: "Delete datasets and records." },
};

export const ALL_PERMISSIONS: readonly Permission[] = ["read", "write", "delete"];
