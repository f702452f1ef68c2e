"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";

import { InviteUserDialog } from "./invite-user-dialog";
import { ManageUserDialog } from "./manage-user-dialog";
import { useUsersView } from "./use-users-view";
import styles from "./users-admin.module.css";
import { UsersPager } from "./users-pager";
import { UsersTable } from "./users-table";

const PAGE_SIZE = 25;
/** Long enough that typing a name sends one request, short enough to feel immediate. */
const SEARCH_DELAY_MS = 250;

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const [view, setView] = useUsersView();
  const [searchText, setSearchText] = useState(view.search);
  const users = useQuery({
    ...trpc.admin.users.list.queryOptions({
      search: view.search || undefined,
      page: view.page,
      pageSize: PAGE_SIZE,
    }),
    // The current page stays on screen while the next one loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
  const roles = useQuery(trpc.admin.roles.list.queryOptions());
  const [inviting, setInviting] = useState(false);
  const [managingId, setManagingId] = useState<string | null>(null);
  // The latest row, so the dialog shows each change as soon as the list reloads.
  const managing = users.data?.items.find((user) => user.id === managingId) ?? null;

  useEffect(() => {
    const search = searchText.trim();
    if (search === view.search) return;
    const timer = setTimeout(() => setView({ search, page: 1 }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText, view.search, setView]);

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
        <div role="search" className={styles.search}>
          <TextField
            label="Search users"
            hint="By email or name, in any case."
            type="search"
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={254}
          />
        </div>
        <ErrorMessage error={users.error} title="Could not load users." />
        <ErrorMessage error={roles.error} title="Could not load roles." />
        {users.isPending && (
          <div aria-busy="true" className={styles.loading}>
            <span className="sr-only">Loading users…</span>
            <Skeleton height="2.25rem" />
            <Skeleton height="12rem" />
          </div>
        )}
        {users.data && users.data.total === 0 && (
          <EmptyState
            title={view.search ? `No users match “${view.search}”` : "No users yet"}
            description={view.search ? "Try part of an email or a name." : undefined}
          />
        )}
        {users.data && users.data.total > 0 && (
          <div aria-busy={users.isPlaceholderData} className={styles.results}>
            <UsersTable
              users={users.data.items}
              currentUserId={currentUserId}
              onManage={(user) => setManagingId(user.id)}
            />
            <UsersPager
              page={view.page}
              pageSize={PAGE_SIZE}
              total={users.data.total}
              onPage={(page) => setView({ search: view.search, page })}
            />
          </div>
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
