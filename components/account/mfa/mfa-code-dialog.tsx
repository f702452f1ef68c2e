"use client";

import { useState, type FormEvent, type ReactNode } from "react";

import { Actions } from "@/components/ui/actions";
import { errorReason, type AppErrorLike } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";

type MfaCodeDialogProps = {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: "primary" | "danger";
  onSubmit: (code: string) => void;
  pending: boolean;
  error: AppErrorLike | null;
};

/** Asks for a current authenticator or backup code before a sensitive MFA change. */
export function MfaCodeDialog({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  tone = "primary",
  onSubmit,
  pending,
  error,
}: MfaCodeDialogProps) {
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState(false);
  const invalidCode = errorReason(error) === "invalid_mfa_code";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    onSubmit(code.trim());
  };

  return (
    <Dialog
      open={open}
      onClose={() => {
        setCode("");
        setMissing(false);
        onClose();
      }}
      title={title}
      dismissible={!pending}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {children}
          {!invalidCode && <ErrorMessage error={error} />}
          <TextField
            label="Authentication code"
            hint="A 6-digit code from your authenticator app, or an unused backup code."
            value={code}
            onChange={(event) => setCode(event.target.value)}
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={32}
            mono
            required
            error={
              missing
                ? "Enter a code."
                : invalidCode
                  ? "That code did not work. Codes change every 30 seconds; backup codes work once."
                  : null
            }
            data-autofocus
          />
          <Actions>
            <Button onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" variant={tone} pending={pending}>
              {confirmLabel}
            </Button>
          </Actions>
        </Stack>
      </form>
    </Dialog>
  );
}
