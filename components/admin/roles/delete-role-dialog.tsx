"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { detailNumber, errorCode } from "@/components/ui/app-error";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

import type { RoleRow } from "../users/user-types";

function holders(count: number) {
  return count === 1 ? "1 user" : `${count} users`;
}

/**
 * Deleting a role in use takes it away from its holders (they keep their other roles), so the
 * dialog says how many and asks for exactly that.
 */
export function DeleteRoleDialog({ role, onClose }: { role: RoleRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.admin.roles.delete.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.admin.roles.list.queryFilter()),
          queryClient.invalidateQueries(trpc.admin.users.list.queryFilter()),
        ]);
        onClose();
      },
    }),
  );
  // Someone may have assigned the role since the list loaded: the server's count wins.
  const serverCount =
    errorCode(remove.error) === "conflict" ? detailNumber(remove.error, "user_count") : undefined;
  const count = serverCount ?? role?.userCount ?? 0;

  return (
    <ConfirmDialog
      open={role !== null}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      title={`Delete the role “${role?.name ?? ""}”?`}
      confirmLabel={count > 0 ? `Remove from ${holders(count)} and delete` : "Delete role"}
      onConfirm={() => role && remove.mutate({ roleId: role.id, force: count > 0 })}
      pending={remove.isPending}
      error={serverCount === undefined ? remove.error : null}
    >
      {count > 0 ? (
        <p>
          {holders(count)} {count === 1 ? "holds" : "hold"} this role. They lose it and keep their
          other roles; anyone left without a role can sign in but do nothing. This cannot be undone.
        </p>
      ) : (
        <p>No one holds this role. This cannot be undone.</p>
      )}
    </ConfirmDialog>
  );
}
