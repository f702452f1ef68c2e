"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorReason } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { ErrorMessage } from "@/components/ui/error-message";
import { TextField } from "@/components/ui/text-field";
import type { TotpEnrollment } from "@/server/auth/mfa/start-totp-enrollment";

import styles from "./mfa-enrollment.module.css";

/**
 * Scan (or type) the new secret, then prove it with a code: only then is MFA on and the backup
 * codes issued.
 */
export function MfaEnrollment({
  enrollment,
  onEnabled,
  onCancel,
}: {
  enrollment: TotpEnrollment;
  onEnabled: (backupCodes: string[]) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState(false);
  const confirm = useMutation(
    trpc.account.mfa.confirm.mutationOptions({
      onSuccess: (result) => onEnabled(result.backupCodes),
    }),
  );
  const invalidCode = errorReason(confirm.error) === "invalid_code";
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The button that started this is gone; the first step is where the reader continues.
  useEffect(() => headingRef.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const compact = code.replace(/\s+/g, "");
    setMissing(!/^\d{6}$/.test(compact));
    if (/^\d{6}$/.test(compact)) confirm.mutate({ code: compact });
  };

  return (
    <ol className={styles.steps}>
      <li className={styles.step}>
        <h3 ref={headingRef} tabIndex={-1} className={styles.stepTitle}>
          1. Add Datapunk Lake to your authenticator app
        </h3>
        <p className={styles.muted}>
          Scan the QR code with an app such as 1Password, Google Authenticator or Aegis.
        </p>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL: nothing to optimise */}
        <img
          className={styles.qr}
          src={enrollment.qrCodeDataUrl}
          alt="QR code to add Datapunk Lake to an authenticator app"
          width={180}
          height={180}
        />
        <p className={styles.muted}>Cannot scan it? Enter this key in the app instead.</p>
        <CopyField label="Setup key" value={enrollment.secret} data-testid="totp-secret" />
      </li>
      <li className={styles.step}>
        <h3 className={styles.stepTitle}>2. Enter the code the app shows</h3>
        <form onSubmit={submit} noValidate className={styles.step}>
          {!invalidCode && <ErrorMessage error={confirm.error} />}
          <TextField
            label="6-digit code"
            className={styles.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            mono
            required
            error={
              missing
                ? "Enter the 6 digits your app shows."
                : invalidCode
                  ? "That code is not right. Enter the current code; if it keeps failing, check your device's clock."
                  : null
            }
          />
          <Actions align="start">
            <Button type="submit" variant="primary" pending={confirm.isPending}>
              Verify and turn on
            </Button>
            <Button variant="ghost" onClick={onCancel} disabled={confirm.isPending}>
              Cancel
            </Button>
          </Actions>
        </form>
      </li>
    </ol>
  );
}
