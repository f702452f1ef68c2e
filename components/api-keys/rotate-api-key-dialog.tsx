"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { SelectField } from "@/components/ui/select-field";

import type { ApiKeyRow } from "./api-key-types";

const GRACE_OPTIONS = [
  { hours: 0, label: "Stop it now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
];

/**
 * A new key with the same name and scopes replaces the old one, which keeps working for a grace
 * period so clients can switch without downtime.
 */
export function RotateApiKeyDialog({
  apiKey,
  onClose,
}: {
  /** null: closed. */
  apiKey: ApiKeyRow | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [graceHours, setGraceHours] = useState(24);
  const [graceUntil, setGraceUntil] = useState<Date | null>(null);
  const rotate = useMutation(
    trpc.account.apiKeys.rotate.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.account.apiKeys.list.queryFilter()),
    }),
  );

  const close = () => {
    setGraceHours(24);
    setGraceUntil(null);
    rotate.reset();
    onClose();
  };

  const rotated = rotate.data;
  return (
    <Dialog
      open={apiKey !== null}
      onClose={close}
      title={rotated ? "Key rotated" : `Rotate “${apiKey?.name ?? ""}”`}
      dismissible={!rotated && !rotate.isPending}
    >
      {rotated ? (
        <>
          <SecretReveal label="New API key" secret={rotated.key} data-testid="api-key-secret">
            Put it where the old key is used.{" "}
            {graceHours === 0 || !graceUntil
              ? "The old key has stopped working."
              : `The old key keeps working until ${formatDateTime(graceUntil)}, then stops.`}
          </SecretReveal>
          <Actions>
            <Button variant="primary" onClick={close} data-autofocus>
              Done
            </Button>
          </Actions>
        </>
      ) : (
        <>
          <p>
            A new key with the same name and scopes replaces <code>{apiKey?.prefix}…</code>. You get
            the new key once; the old one keeps working for the grace period you choose, so clients
            can switch over without downtime.
          </p>
          <SelectField
            label="Keep the old key working for"
            value={String(graceHours)}
            onChange={(event) => setGraceHours(Number(event.target.value))}
          >
            {GRACE_OPTIONS.map((option) => (
              <option key={option.hours} value={option.hours}>
                {option.label}
              </option>
            ))}
          </SelectField>
          <ErrorMessage error={rotate.error} title="The key was not rotated." />
          <Actions>
            <Button onClick={close} disabled={rotate.isPending}>
              Cancel
            </Button>
            <Button
              variant="primary"
              pending={rotate.isPending}
              onClick={() => {
                if (!apiKey) return;
                setGraceUntil(new Date(Date.now() + graceHours * 3_600_000));
                rotate.mutate({ keyId: apiKey.id, graceHours });
              }}
            >
              Rotate key
            </Button>
          </Actions>
        </>
      )}
    </Dialog>
  );
}
