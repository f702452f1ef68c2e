"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { ALL_PERMISSIONS, PERMISSION_INFO } from "@/components/access/permission-info";
import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode } from "@/components/ui/app-error";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";
import type { Permission } from "@/server/auth/principal";

import type { RoleRow } from "../users/user-types";

const NAME = /^[a-z][a-z0-9_-]*$/;

type Errors = { name?: string; permissions?: string };

/** Creates a role (role: null) or edits one; a built-in role keeps its name and permissions. */
function RoleForm({ role, onDone }: { role: RoleRow | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [permissions, setPermissions] = useState<Permission[]>(role?.permissions ?? ["read"]);
  const [requireMfa, setRequireMfa] = useState(role?.requireMfa ?? false);
  const [errors, setErrors] = useState<Errors>({});
  const options = {
    onSuccess: async () => {
      await queryClient.invalidateQueries(trpc.admin.roles.list.queryFilter());
      onDone();
    },
  };
  const create = useMutation(trpc.admin.roles.create.mutationOptions(options));
  const update = useMutation(trpc.admin.roles.update.mutationOptions(options));
  const mutation = role ? update : create;
  const builtIn = role?.builtIn ?? false;
  const nameTaken = errorCode(mutation.error) === "conflict";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!builtIn && (name.length < 2 || name.length > 40 || !NAME.test(name))) {
      found.name = "2–40 lower-case letters, digits, “-” or “_”, starting with a letter.";
    }
    if (!builtIn && permissions.length === 0) found.permissions = "Choose at least one permission.";
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const common = { description: description.trim() || null, requireMfa };
    if (!role) create.mutate({ name, permissions, ...common });
    else if (builtIn) update.mutate({ roleId: role.id, ...common });
    else update.mutate({ roleId: role.id, name, permissions, ...common });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {builtIn && (
          <Banner tone="neutral">
            <strong>Built-in role.</strong> Its name and permissions are fixed; you can change its
            description and whether it requires two-factor authentication.
          </Banner>
        )}
        {!nameTaken && <ErrorMessage error={mutation.error} title="The role was not saved." />}
        <TextField
          label="Name"
          hint="Lower case, e.g. analyst or data-steward."
          value={name}
          onChange={(event) => setName(event.target.value)}
          disabled={builtIn}
          maxLength={40}
          autoCapitalize="none"
          spellCheck={false}
          required
          error={nameTaken ? "A role with this name already exists." : errors.name}
        />
        <TextField
          label="Description"
          optional
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={200}
        />
        <CheckboxGroup
          legend="Permissions"
          options={ALL_PERMISSIONS.map((permission) => ({
            value: permission,
            label: PERMISSION_INFO[permission].label,
            description: PERMISSION_INFO[permission].description,
          }))}
          value={permissions}
          onChange={setPermissions}
          disabled={builtIn}
          error={errors.permissions}
        />
        <CheckboxField
          label="Require two-factor authentication"
          description="Holders must set up an authenticator app before they can use the console."
          checked={requireMfa}
          onChange={(event) => setRequireMfa(event.target.checked)}
        />
        <Actions>
          <Button onClick={onDone} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={mutation.isPending}>
            {role ? "Save changes" : "Create role"}
          </Button>
        </Actions>
      </Stack>
    </form>
  );
}

export function RoleFormDialog({
  open,
  role,
  onClose,
}: {
  open: boolean;
  /** null creates a new role. */
  role: RoleRow | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={role ? `Edit role “${role.name}”` : "Create role"}>
      <RoleForm key={role?.id ?? "new"} role={role} onDone={onClose} />
    </Dialog>
  );
}
