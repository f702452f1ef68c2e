"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";

import { InviteUserDialog } from "./invite-user-dialog";
import { ManageUserDialog } from "./manage-user-dialog";
import { UsersTable } from "./users-table";

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const roles = useQuery(trpc.admin.roles.list.queryOptions());
  const [inviting, setInviting] = useState(false);
  const [managingId, setManagingId] = useState<string | null>(null);
  // The latest row, so the dialog shows each change as soon as the list reloads.
  const managing = users.data?.find((user) => user.id === managingId) ?? null;

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to this Lake, their roles and how they sign in."
        actions={
          <Button variant="primary" onClick={() => setInviting(true)} disabled={!roles.data}>
            Invite user
          </Button>
        }
      />
      <Stack>
        <ErrorMessage error={users.error} title="Could not load users." />
        <ErrorMessage error={roles.error} title="Could not load roles." />
        {users.isPending && <p aria-busy="true">Loading…</p>}
        {users.data && (
          <UsersTable
            users={users.data}
            currentUserId={currentUserId}
            onManage={(user) => setManagingId(user.id)}
          />
        )}
      </Stack>
      <InviteUserDialog
        open={inviting}
        onClose={() => setInviting(false)}
        roles={roles.data ?? []}
      />
      <ManageUserDialog
        user={managing}
        roles={roles.data ?? []}
        currentUserId={currentUserId}
        onClose={() => setManagingId(null)}
      />
    </>
  );
}
