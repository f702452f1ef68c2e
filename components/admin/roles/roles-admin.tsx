"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";

import type { RoleRow } from "../users/user-types";
import { DeleteRoleDialog } from "./delete-role-dialog";
import { RoleFormDialog } from "./role-form-dialog";
import { RolesTable } from "./roles-table";

export function RolesAdmin() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.admin.roles.list.queryOptions());
  const [editing, setEditing] = useState<RoleRow | "new" | null>(null);
  const [deleting, setDeleting] = useState<RoleRow | null>(null);

  return (
    <>
      <PageHeader
        title="Roles"
        description="What each role may do. A user's permissions are the union of their roles'."
        actions={
          <Button variant="primary" onClick={() => setEditing("new")}>
            Create role
          </Button>
        }
      />
      <ErrorMessage error={roles.error} title="Could not load roles." />
      {roles.isPending && <p aria-busy="true">Loading…</p>}
      {roles.data && <RolesTable roles={roles.data} onEdit={setEditing} onDelete={setDeleting} />}
      <RoleFormDialog
        open={editing !== null}
        role={editing === "new" ? null : editing}
        onClose={() => setEditing(null)}
      />
      <DeleteRoleDialog role={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
