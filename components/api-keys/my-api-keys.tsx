"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";

import type { ApiKeyRow } from "./api-key-types";
import { ApiKeysTable } from "./api-keys-table";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { RevokeApiKeyDialog } from "./revoke-api-key-dialog";
import { RotateApiKeyDialog } from "./rotate-api-key-dialog";

/** The signed-in user's own keys: create, rotate, revoke. */
export function MyApiKeys() {
  const trpc = useTRPC();
  const keys = useQuery(trpc.account.apiKeys.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiKeyRow | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create API key
    </Button>
  );

  return (
    <>
      <PageHeader
        title="My API keys"
        description="Keys let scripts and services call the REST API as you, limited to the scopes you give them."
        actions={keys.data && keys.data.length > 0 ? createButton : undefined}
      />
      <ErrorMessage error={keys.error} title="Could not load your API keys." />
      {keys.isPending && <p aria-busy="true">Loading…</p>}
      {keys.data?.length === 0 && (
        <EmptyState
          title="No API keys yet"
          description="Create one for each script or service, so you can revoke one without breaking the others."
          action={createButton}
        />
      )}
      {keys.data && keys.data.length > 0 && (
        <ApiKeysTable
          keys={keys.data}
          caption="Your API keys"
          actions={(key) => (
            <>
              {key.status === "active" && (
                <Button size="sm" onClick={() => setRotating(key)}>
                  Rotate
                </Button>
              )}
              {(key.status === "active" || key.status === "rotated") && (
                <Button size="sm" variant="ghost" onClick={() => setRevoking(key)}>
                  Revoke
                </Button>
              )}
            </>
          )}
        />
      )}
      <CreateApiKeyDialog open={creating} onClose={() => setCreating(false)} />
      <RotateApiKeyDialog apiKey={rotating} onClose={() => setRotating(null)} />
      <RevokeApiKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} as="owner" />
    </>
  );
}
