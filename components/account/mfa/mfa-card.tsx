"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stat } from "@/components/ui/stat";

import { BackupCodesDialog } from "./backup-codes-dialog";
import styles from "./mfa-card.module.css";
import { MfaCodeDialog } from "./mfa-code-dialog";
import { MfaEnrollment } from "./mfa-enrollment";

const FEW_CODES_LEFT = 3;

/** Two-factor authentication: status, enrollment, backup codes and turning it off. */
export function MfaCard({ email }: { email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const status = useQuery(trpc.account.mfa.status.queryOptions());
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<"regenerate" | "disable" | null>(null);

  // The console layout shows the MFA gate from the server, so it must re-render too.
  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.account.pathFilter());
    router.refresh();
  };

  const start = useMutation(trpc.account.mfa.start.mutationOptions());
  const regenerate = useMutation(
    trpc.account.mfa.regenerateBackupCodes.mutationOptions({
      onSuccess: async (result) => {
        setDialog(null);
        setBackupCodes(result.backupCodes);
        await refresh();
      },
    }),
  );
  const disable = useMutation(
    trpc.account.mfa.disable.mutationOptions({
      onSuccess: async () => {
        setDialog(null);
        await refresh();
      },
    }),
  );

  const data = status.data;
  const badge = data && (
    <Badge tone={data.enabled ? "success" : "neutral"} data-testid="mfa-status">
      {data.enabled ? "On" : "Off"}
    </Badge>
  );

  return (
    <Card title="Two-factor authentication" badge={badge} className={styles.card}>
      {status.isPending && <p className={styles.muted}>Loading…</p>}
      <ErrorMessage error={status.error} title="Could not load the two-factor status." />

      {data?.enabled && (
        <>
          <dl className={styles.details}>
            <Stat label="Method">Authenticator app (TOTP)</Stat>
            <Stat label="Turned on">
              <DateTime value={data.enabledAt} />
            </Stat>
            <Stat label="Backup codes remaining" testId="backup-codes-remaining">
              {data.backupCodesRemaining} of 10
            </Stat>
          </dl>
          {data.backupCodesRemaining <= FEW_CODES_LEFT && (
            <Banner tone="warning">
              <strong>
                {data.backupCodesRemaining === 0
                  ? "No backup codes left."
                  : `Only ${data.backupCodesRemaining} backup codes left.`}
              </strong>{" "}
              Generate a new set so you can still sign in without your phone.
            </Banner>
          )}
          <Actions align="start">
            <Button onClick={() => setDialog("regenerate")}>Regenerate backup codes</Button>
            <Button variant="ghost" onClick={() => setDialog("disable")}>
              Turn off two-factor authentication
            </Button>
          </Actions>
        </>
      )}

      {data && !data.enabled && !start.data && (
        <>
          <p>
            Protect your account with a second step at sign-in: a code from an authenticator app on
            your phone. You also get ten one-time backup codes for when the phone is not at hand.
          </p>
          <ErrorMessage error={start.error} title="Could not start the setup." />
          <Actions align="start">
            <Button variant="primary" pending={start.isPending} onClick={() => start.mutate()}>
              Set up authenticator app
            </Button>
          </Actions>
        </>
      )}

      {data && !data.enabled && start.data && (
        <MfaEnrollment
          enrollment={start.data}
          onEnabled={(codes) => {
            start.reset();
            setBackupCodes(codes);
            void refresh();
          }}
          onCancel={() => start.reset()}
        />
      )}

      <MfaCodeDialog
        open={dialog === "regenerate"}
        onClose={() => {
          setDialog(null);
          regenerate.reset();
        }}
        title="Regenerate backup codes"
        confirmLabel="Generate new codes"
        onSubmit={(code) => regenerate.mutate({ code })}
        pending={regenerate.isPending}
        error={regenerate.error}
      >
        <p>
          All your current backup codes stop working, used or not, and ten new ones replace them.
        </p>
      </MfaCodeDialog>

      <MfaCodeDialog
        open={dialog === "disable"}
        onClose={() => {
          setDialog(null);
          disable.reset();
        }}
        title="Turn off two-factor authentication"
        confirmLabel="Turn off"
        tone="danger"
        onSubmit={(code) => disable.mutate({ code })}
        pending={disable.isPending}
        error={disable.error}
      >
        <p>
          Signing in will need only your password. Your authenticator entry and backup codes stop
          working. If one of your roles requires two-factor authentication, you will have to set it
          up again before using the console.
        </p>
      </MfaCodeDialog>

      <BackupCodesDialog codes={backupCodes} email={email} onClose={() => setBackupCodes(null)} />
    </Card>
  );
}
