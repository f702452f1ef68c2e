"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";

import type { ApiKeyRow } from "./api-key-types";
import { ApiKeysTable } from "./api-keys-table";
import { RevokeApiKeyDialog } from "./revoke-api-key-dialog";

/** Every user's keys, for administrators: who holds what, and revoke. */
export function AllApiKeys() {
  const trpc = useTRPC();
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions());
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);

  return (
    <>
      <ErrorMessage error={keys.error} title="Could not load API keys." />
      {keys.isPending && <p aria-busy="true">Loading…</p>}
      {keys.data?.length === 0 && (
        <EmptyState
          title="No API keys"
          description="Users create their own keys under Account → My API keys."
        />
      )}
      {keys.data && keys.data.length > 0 && (
        <ApiKeysTable
          keys={keys.data}
          caption="All API keys"
          showOwner
          actions={(key) =>
            (key.status === "active" || key.status === "rotated") && (
              <Button size="sm" variant="ghost" onClick={() => setRevoking(key)}>
                Revoke
              </Button>
            )
          }
        />
      )}
      <RevokeApiKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} as="admin" />
    </>
  );
}
