"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { SecretDialog } from "@/components/ui/secret-dialog";
import { Stat } from "@/components/ui/stat";

import styles from "./manage-user-dialog.module.css";
import { MfaBadge, UserStatusBadge } from "./user-status";
import { UserRolesForm } from "./user-roles-form";
import type { RoleRow, UserRow } from "./user-types";

type Confirming = "reset-password" | "reset-mfa" | "disable" | null;

/** One user's details and everything an admin can change about them. */
export function ManageUserDialog({
  user,
  roles,
  currentUserId,
  onClose,
}: {
  /** null: closed. */
  user: UserRow | null;
  roles: readonly RoleRow[];
  currentUserId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accessHeadingId = useId();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries(trpc.admin.users.list.queryFilter());
  const done = async () => {
    setConfirming(null);
    await invalidate();
  };

  const resetPassword = useMutation(
    trpc.admin.users.resetPassword.mutationOptions({
      onSuccess: async (result) => {
        setTemporaryPassword(result.temporaryPassword);
        await done();
      },
    }),
  );
  const resetMfa = useMutation(trpc.admin.users.resetMfa.mutationOptions({ onSuccess: done }));
  const setDisabled = useMutation(
    trpc.admin.users.setDisabled.mutationOptions({ onSuccess: done }),
  );

  const isSelf = user?.id === currentUserId;
  const cancelConfirm = () => {
    setConfirming(null);
    resetPassword.reset();
    resetMfa.reset();
    setDisabled.reset();
  };

  return (
    <Dialog
      open={user !== null}
      onClose={() => {
        cancelConfirm();
        onClose();
      }}
      title={user?.email ?? ""}
      description={user?.name ?? undefined}
      size="lg"
      data-testid="manage-user-dialog"
    >
      {user && (
        <>
          <dl className={styles.details}>
            <Stat label="Status">
              <UserStatusBadge user={user} />
            </Stat>
            <Stat label="Two-factor authentication">
              <MfaBadge enabled={user.mfaEnabled} />
            </Stat>
            <Stat label="Last sign-in">
              <DateTime value={user.lastSignInAt} fallback="Never" />
            </Stat>
            <Stat label="Invited">
              <DateTime value={user.createdAt} />
            </Stat>
          </dl>

          <UserRolesForm key={user.id} user={user} roles={roles} isSelf={isSelf} />

          <section className={styles.section} aria-labelledby={accessHeadingId}>
            <h3 id={accessHeadingId} className={styles.sectionTitle}>
              Access
            </h3>
            {isSelf ? (
              <p className={styles.muted}>
                This is your account: change your password and two-factor authentication under
                Account → Security.
              </p>
            ) : (
              <>
                <ErrorMessage error={user.disabled ? setDisabled.error : null} />
                <Actions align="start">
                  <Button onClick={() => setConfirming("reset-password")}>Reset password</Button>
                  {user.mfaEnabled && (
                    <Button onClick={() => setConfirming("reset-mfa")}>
                      Reset two-factor authentication
                    </Button>
                  )}
                  {user.disabled ? (
                    <Button
                      pending={setDisabled.isPending}
                      onClick={() => setDisabled.mutate({ userId: user.id, disabled: false })}
                    >
                      Enable account
                    </Button>
                  ) : (
                    <Button variant="danger" onClick={() => setConfirming("disable")}>
                      Disable account
                    </Button>
                  )}
                </Actions>
              </>
            )}
          </section>

          <ConfirmDialog
            open={confirming === "reset-password"}
            onClose={cancelConfirm}
            title={`Reset the password of ${user.email}?`}
            confirmLabel="Reset password"
            onConfirm={() => resetPassword.mutate({ userId: user.id })}
            pending={resetPassword.isPending}
            error={resetPassword.error}
          >
            <p>
              Their current password stops working and they are signed out everywhere. You get a
              temporary password to give them; they must replace it when they sign in.
            </p>
          </ConfirmDialog>

          <ConfirmDialog
            open={confirming === "reset-mfa"}
            onClose={cancelConfirm}
            title={`Reset two-factor authentication for ${user.email}?`}
            confirmLabel="Reset two-factor"
            onConfirm={() => resetMfa.mutate({ userId: user.id })}
            pending={resetMfa.isPending}
            error={resetMfa.error}
          >
            <p>
              Their authenticator app and backup codes stop working, and they can sign in with their
              password alone until they set it up again. Do this only when you are sure the request
              comes from them.
            </p>
          </ConfirmDialog>

          <ConfirmDialog
            open={confirming === "disable"}
            onClose={cancelConfirm}
            title={`Disable ${user.email}?`}
            confirmLabel="Disable account"
            onConfirm={() => setDisabled.mutate({ userId: user.id, disabled: true })}
            pending={setDisabled.isPending}
            error={setDisabled.error}
          >
            <p>
              They are signed out everywhere, and their API keys and tokens stop working until you
              enable the account again.
            </p>
          </ConfirmDialog>

          <SecretDialog
            secret={temporaryPassword}
            title="Password reset"
            label="Temporary password"
            onClose={() => setTemporaryPassword(null)}
            data-testid="temporary-password"
          >
            Give it to <strong>{user.email}</strong> over a channel you trust. They must choose a
            new password when they sign in.
          </SecretDialog>
        </>
      )}
    </Dialog>
  );
}
