"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";

import { roleOptions } from "./role-options";
import type { RoleRow } from "./user-types";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFAULT_ROLE = "reader";

type Errors = { email?: string; roles?: string };

/** There is no sign-up: an admin invites each user, who gets a password to change at first use. */
export function InviteUserDialog({
  open,
  onClose,
  roles,
}: {
  open: boolean;
  onClose: () => void;
  roles: readonly RoleRow[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [roleNames, setRoleNames] = useState<string[]>([DEFAULT_ROLE]);
  const [errors, setErrors] = useState<Errors>({});
  const invite = useMutation(
    trpc.admin.users.invite.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.admin.users.list.queryFilter()),
          queryClient.invalidateQueries(trpc.admin.roles.list.queryFilter()),
        ]),
    }),
  );

  const close = () => {
    setEmail("");
    setName("");
    setRoleNames([DEFAULT_ROLE]);
    setErrors({});
    invite.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!EMAIL.test(email.trim())) found.email = "Enter an email address such as ana@example.com.";
    if (roleNames.length === 0) found.roles = "Choose at least one role.";
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    invite.mutate({ email: email.trim(), name: name.trim() || null, roleNames });
  };

  const invited = invite.data;
  const conflict = errorCode(invite.error) === "conflict";
  return (
    <Dialog
      open={open}
      onClose={close}
      title={invited ? "User invited" : "Invite user"}
      description={
        invited ? undefined : "They sign in with a generated password, then choose their own."
      }
      dismissible={!invited && !invite.isPending}
      data-testid="invite-user-dialog"
    >
      {invited ? (
        <>
          <SecretReveal
            label="Initial password"
            secret={invited.initialPassword}
            data-testid="initial-password"
          >
            Give it to <strong>{invited.user.email}</strong> over a channel other than email if you
            can. They must replace it when they first sign in.
          </SecretReveal>
          <Actions>
            <Button variant="primary" onClick={close} data-autofocus>
              Done
            </Button>
          </Actions>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {!conflict && <ErrorMessage error={invite.error} title="The user was not invited." />}
            <TextField
              label="Email"
              type="email"
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              required
              error={conflict ? "A user with this email already exists." : errors.email}
            />
            <TextField
              label="Name"
              optional
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={100}
            />
            <CheckboxGroup
              legend="Roles"
              hint="What the user may do. You can change this later."
              options={roleOptions(roles)}
              value={roleNames}
              onChange={setRoleNames}
              error={errors.roles}
            />
            <Actions>
              <Button onClick={close} disabled={invite.isPending}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" pending={invite.isPending}>
                Invite user
              </Button>
            </Actions>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}
