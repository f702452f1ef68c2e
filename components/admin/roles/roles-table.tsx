import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table } from "@/components/ui/table";
import { TagList } from "@/components/ui/tag-list";

import type { RoleRow } from "../users/user-types";
import styles from "./roles-table.module.css";

export function RolesTable({
  roles,
  onEdit,
  onDelete,
}: {
  roles: readonly RoleRow[];
  onEdit: (role: RoleRow) => void;
  onDelete: (role: RoleRow) => void;
}) {
  return (
    <Table caption="Roles" data-testid="roles-table">
      <colgroup>
        <col className={styles.roleColumn} />
        <col className={styles.permissionsColumn} />
        <col className={styles.mfaColumn} />
        <col className={styles.usersColumn} />
        <col className={styles.actionsColumn} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col">Permissions</th>
          <th scope="col">Requires MFA</th>
          <th scope="col" data-align="end">
            Users
          </th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {roles.map((role) => (
          <tr key={role.id} data-testid="role-row" data-role={role.name}>
            <th scope="row" className={styles.role}>
              {role.name}{" "}
              {role.builtIn && (
                <Badge tone="neutral" icon={false}>
                  built-in
                </Badge>
              )}
              {role.description && <span className={styles.sub}>{role.description}</span>}
            </th>
            <td>
              <TagList items={role.permissions} />
            </td>
            <td>
              {role.requireMfa ? (
                <Badge tone="success">Yes</Badge>
              ) : (
                <Badge tone="neutral">No</Badge>
              )}
            </td>
            <td data-align="end">{role.userCount}</td>
            <td>
              {/* Two fixed slots: Edit never moves, whether or not the role can be deleted. */}
              <div className={styles.rowActions}>
                <Button size="sm" onClick={() => onEdit(role)} aria-label={`Edit ${role.name}`}>
                  Edit
                </Button>
                {!role.builtIn && (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => onDelete(role)}
                    aria-label={`Delete ${role.name}`}
                  >
                    Delete
                  </Button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
