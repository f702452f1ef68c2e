import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Table } from "@/components/ui/table";
import { TagList } from "@/components/ui/tag-list";

import { MfaBadge, UserStatusBadge } from "./user-status";
import type { UserRow } from "./user-types";
import styles from "./users-table.module.css";

export function UsersTable({
  users,
  currentUserId,
  onManage,
}: {
  users: readonly UserRow[];
  currentUserId: string;
  onManage: (user: UserRow) => void;
}) {
  return (
    <Table caption="Users" data-testid="users-table">
      {/* Fixed widths, so paging and searching never make the columns jump. */}
      <colgroup>
        <col className={styles.userColumn} />
        <col className={styles.rolesColumn} />
        <col className={styles.mfaColumn} />
        <col className={styles.statusColumn} />
        <col className={styles.signInColumn} />
        <col className={styles.actionsColumn} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Roles</th>
          <th scope="col">MFA</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
          <th scope="col" data-align="end">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id} data-testid="user-row" data-email={user.email}>
            <th scope="row" className={styles.user}>
              {user.email}
              {user.id === currentUserId && <span className={styles.sub}>You</span>}
              {user.name && <span className={styles.sub}>{user.name}</span>}
            </th>
            <td>
              <TagList items={user.roles} empty="No roles" />
            </td>
            <td>
              <MfaBadge enabled={user.mfaEnabled} />
            </td>
            <td className={styles.nowrap}>
              <UserStatusBadge user={user} />
            </td>
            <td className={styles.nowrap}>
              <DateTime value={user.lastSignInAt} fallback="Never" />
            </td>
            <td data-align="end">
              <Button size="sm" onClick={() => onManage(user)} aria-label={`Manage ${user.email}`}>
                Manage
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
