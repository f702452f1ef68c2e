"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { ErrorMessage } from "@/components/ui/error-message";

import styles from "./manage-user-dialog.module.css";
import { roleOptions } from "./role-options";
import type { RoleRow, UserRow } from "./user-types";

function sameSet(a: readonly string[], b: readonly string[]) {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/** Replaces a user's roles; sessions and keys pick the change up on their next request. */
export function UserRolesForm({
  user,
  roles,
  isSelf,
}: {
  user: UserRow;
  roles: readonly RoleRow[];
  isSelf: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [roleNames, setRoleNames] = useState<string[]>(user.roles);
  const [missing, setMissing] = useState(false);
  const save = useMutation(
    trpc.admin.users.setRoles.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.admin.users.list.queryFilter()),
          queryClient.invalidateQueries(trpc.admin.roles.list.queryFilter()),
        ]),
    }),
  );
  const changed = !sameSet(roleNames, user.roles);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(roleNames.length === 0);
    if (roleNames.length > 0) save.mutate({ userId: user.id, roleNames });
  };

  return (
    <form onSubmit={submit} noValidate className={styles.section}>
      <CheckboxGroup
        legend="Roles"
        hint={
          isSelf && user.roles.includes("admin") && !roleNames.includes("admin")
            ? "Without the admin role you lose access to these pages."
            : undefined
        }
        options={roleOptions(roles)}
        value={roleNames}
        onChange={(next) => {
          setRoleNames(next);
          save.reset();
        }}
        error={missing ? "A user needs at least one role." : null}
      />
      <ErrorMessage error={save.error} title="The roles were not saved." />
      <Actions align="start">
        <Button type="submit" pending={save.isPending} disabled={!changed}>
          Save roles
        </Button>
        <span className={styles.saved} role="status">
          {save.isSuccess && !changed ? "Roles saved." : ""}
        </span>
      </Actions>
    </form>
  );
}
