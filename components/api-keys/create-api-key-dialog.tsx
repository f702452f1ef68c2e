"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { PERMISSION_INFO } from "@/components/access/permission-info";
import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";
import type { Permission } from "@/server/auth/principal";

const DEFAULT_EXPIRY_DAYS = 90;
const MAX_EXPIRY_DAYS = 3650;

const MAX_RATE_LIMIT_PER_HOUR = 1_000_000;

type Errors = { name?: string; scopes?: string; expiry?: string; rateLimit?: string };

/**
 * Name, scopes (at most what the user holds), expiry and an optional rate limit of the key's own;
 * then the key, shown this once.
 */
export function CreateApiKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.account.me.queryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [expiry, setExpiry] = useState(String(DEFAULT_EXPIRY_DAYS));
  const [rateLimit, setRateLimit] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation(
    trpc.account.apiKeys.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.account.apiKeys.list.queryFilter()),
    }),
  );

  const close = () => {
    setName("");
    setScopes([]);
    setExpiry(String(DEFAULT_EXPIRY_DAYS));
    setRateLimit("");
    setErrors({});
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const days = Number(expiry);
    const found: Errors = {};
    if (!name.trim()) found.name = "Give the key a name.";
    if (scopes.length === 0) found.scopes = "Choose at least one scope.";
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS) {
      found.expiry = `A whole number of days from 1 to ${MAX_EXPIRY_DAYS}.`;
    }
    const perHour = rateLimit.trim() === "" ? undefined : Number(rateLimit);
    if (
      perHour !== undefined &&
      (!Number.isInteger(perHour) || perHour < 1 || perHour > MAX_RATE_LIMIT_PER_HOUR)
    ) {
      found.rateLimit = `Leave empty for the default, or a whole number from 1 to ${MAX_RATE_LIMIT_PER_HOUR.toLocaleString("en")}.`;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({
      name: name.trim(),
      scopes,
      expiresInDays: days,
      ...(perHour === undefined ? {} : { rateLimitPerHour: perHour }),
    });
  };

  const permissions = me.data?.permissions ?? [];
  const created = create.data;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "API key created" : "Create API key"}
      description={
        created ? undefined : "For scripts and services that call the Lake's REST API as you."
      }
      dismissible={!created && !create.isPending}
      data-testid="create-api-key-dialog"
    >
      {created ? (
        <>
          <SecretReveal label="API key" secret={created.key} data-testid="api-key-secret">
            Store it in your secret manager. Send it as <code>Authorization: Bearer …</code>; if it
            leaks, revoke it here.
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
            <ErrorMessage error={create.error} title="The key was not created." />
            <TextField
              label="Name"
              hint="What uses the key, e.g. “nightly export”."
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={100}
              required
              error={errors.name}
            />
            <CheckboxGroup
              legend="Scopes"
              hint="What the key may do: at most what your roles allow."
              options={permissions.map((permission) => ({
                value: permission,
                label: PERMISSION_INFO[permission].label,
                description: PERMISSION_INFO[permission].description,
              }))}
              value={scopes}
              onChange={setScopes}
              error={errors.scopes}
            />
            <ErrorMessage error={me.error} title="Could not load your permissions." />
            <TextField
              label="Expires after (days)"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_EXPIRY_DAYS}
              value={expiry}
              onChange={(event) => setExpiry(event.target.value)}
              required
              error={errors.expiry}
            />
            <TextField
              label="Rate limit (requests per hour, optional)"
              hint="Empty: the data API's default. A higher limit than the default needs an admin."
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RATE_LIMIT_PER_HOUR}
              value={rateLimit}
              onChange={(event) => setRateLimit(event.target.value)}
              error={errors.rateLimit}
            />
            <Actions>
              <Button onClick={close} disabled={create.isPending}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" pending={create.isPending}>
                Create key
              </Button>
            </Actions>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}
