"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

import type { ApiKeyRow } from "./api-key-types";

/** Revoking is immediate and final; tokens exchanged for the key die with it. */
export function RevokeApiKeyDialog({
  apiKey,
  onClose,
  as,
}: {
  /** null: closed. */
  apiKey: ApiKeyRow | null;
  onClose: () => void;
  /** "admin" revokes anyone's key through the admin API. */
  as: "owner" | "admin";
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = {
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries(trpc.account.apiKeys.list.queryFilter()),
        queryClient.invalidateQueries(trpc.admin.apiKeys.list.queryFilter()),
      ]);
      onClose();
    },
  };
  const asOwner = useMutation(trpc.account.apiKeys.revoke.mutationOptions(options));
  const asAdmin = useMutation(trpc.admin.apiKeys.revoke.mutationOptions(options));
  const revoke = as === "admin" ? asAdmin : asOwner;

  return (
    <ConfirmDialog
      open={apiKey !== null}
      onClose={() => {
        revoke.reset();
        onClose();
      }}
      title={`Revoke “${apiKey?.name ?? ""}”?`}
      confirmLabel="Revoke key"
      onConfirm={() => apiKey && revoke.mutate({ keyId: apiKey.id })}
      pending={revoke.isPending}
      error={revoke.error}
    >
      <p>
        <code>{apiKey?.prefix}…</code>
        {apiKey?.owner ? ` (owned by ${apiKey.owner.email})` : ""} stops working immediately, and so
        do access tokens obtained with it. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
