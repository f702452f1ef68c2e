"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useEffect, useId, useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode, errorReason, type AppErrorLike } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { TextField } from "@/components/ui/text-field";

import styles from "./form.module.css";

const MIN_LENGTH = 12;
const FIELDS = ["current", "next", "confirm"] as const;

type Field = (typeof FIELDS)[number];
type FieldErrors = Partial<Record<Field, string>>;

function check(current: string, next: string, confirm: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!current) errors.current = "Enter your current password.";
  if (next.length < MIN_LENGTH) errors.next = `Use at least ${MIN_LENGTH} characters.`;
  else if (next === current) errors.next = "Choose a password different from the current one.";
  if (confirm !== next) errors.confirm = "The two new passwords do not match.";
  return errors;
}

/** The server's refusals that belong to one field; anything else goes in a banner. */
function serverFieldErrors(error: AppErrorLike | null): FieldErrors {
  const reason = errorReason(error);
  if (reason === "wrong_password") return { current: "The current password is wrong." };
  if (reason === "same_password") {
    return { next: "Choose a password different from the current one." };
  }
  if (errorCode(error) === "validation_failed") {
    return { next: `Use at least ${MIN_LENGTH} characters.` };
  }
  return {};
}

/**
 * Changing the password ends every session, this one included (the server bumps the session
 * version), so success signs out and the sign-in page says why.
 */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [values, setValues] = useState<Record<Field, string>>({
    current: "",
    next: "",
    confirm: "",
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const formId = useId();
  const idOf = (name: Field) => `${formId}-${name}`;
  const input = (name: Field) => document.getElementById(idOf(name)) as HTMLInputElement | null;
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => signOut({ callbackUrl: "/login?message=password-changed" }),
    }),
  );
  const serverErrors = serverFieldErrors(change.error);
  const errors = { ...serverErrors, ...clientErrors };
  const bannerError = change.error && Object.keys(serverErrors).length === 0 ? change.error : null;

  // A refused change puts the cursor in the field to fix.
  useEffect(() => {
    const field = FIELDS.find((name) => serverFieldErrors(change.error)[name]);
    if (field) input(field)?.select();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- input() only reads the stable id
  }, [change.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = check(values.current, values.next, values.confirm);
    setClientErrors(found);
    const firstInvalid = FIELDS.find((field) => found[field]);
    if (firstInvalid) {
      input(firstInvalid)?.focus();
      return;
    }
    change.mutate({ currentPassword: values.current, newPassword: values.next });
  };

  const field = (name: Field) => ({
    id: idOf(name),
    type: "password",
    value: values[name],
    onChange: (event: { target: { value: string } }) => {
      setValues((previous) => ({ ...previous, [name]: event.target.value }));
    },
    error: errors[name],
    required: true,
  });

  const succeeded = change.isSuccess;
  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <ErrorMessage error={bannerError} title="The password was not changed." />
      <TextField label="Current password" autoComplete="current-password" {...field("current")} />
      <TextField
        label="New password"
        autoComplete="new-password"
        hint={`At least ${MIN_LENGTH} characters. A few unrelated words make a strong one.`}
        {...field("next")}
      />
      <TextField label="Confirm new password" autoComplete="new-password" {...field("confirm")} />
      <Actions align="start">
        <Button type="submit" variant="primary" pending={change.isPending || succeeded}>
          {succeeded ? "Signing out…" : change.isPending ? "Changing…" : "Change password"}
        </Button>
      </Actions>
    </form>
  );
}
