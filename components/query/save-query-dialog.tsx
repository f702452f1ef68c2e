"use client";

import { parseJSONC } from "@graphiql/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";
import { TextField } from "@/components/ui/text-field";
import type { SavedQueryView } from "@/server/saved-queries/saved-query.schemas";

import type { EditorSnapshot } from "./editor-bridge";

/** The variables editor's text as an object, or why it is not one. */
export function variablesObject(
  text: string,
): { variables: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { variables: {} };
  try {
    const parsed = parseJSONC(text);
    if (parsed === undefined || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { error: "The variables must be a JSON object." };
    }
    return { variables: parsed };
  } catch (error) {
    return { error: `The variables are not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Saves the editor's operation and variables under a name, for this user. The same name again
 * replaces that saved query (so re-saving one that was opened updates it).
 */
export function SaveQueryDialog({
  open,
  onClose,
  snapshot,
  defaultName,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  snapshot: EditorSnapshot;
  defaultName: string;
  onSaved: (saved: SavedQueryView) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.savedQueries.list.queryOptions(), enabled: open });
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.savedQueries.save.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries(trpc.savedQueries.list.queryFilter());
        onSaved(saved);
        close();
      },
    }),
  );

  const shownName = name ?? defaultName;
  const replaces = list.data?.some((saved) => saved.name === shownName.trim()) ?? false;

  function close() {
    setName(null);
    setError(null);
    save.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!shownName.trim()) return setError("Give the query a name.");
    if (!snapshot.query.trim()) return setError("The editor is empty: write an operation first.");
    const variables = variablesObject(snapshot.variables);
    if ("error" in variables) return setError(variables.error);
    setError(null);
    save.mutate({ name: shownName.trim(), query: snapshot.query, variables: variables.variables });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Save query"
      description="The operation and variables in the editor, kept for your account."
      dismissible={!save.isPending}
      data-testid="save-query-dialog"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorMessage error={save.error} title="The query was not saved." />
          <TextField
            label="Name"
            value={shownName}
            onChange={(event) => setName(event.target.value)}
            maxLength={100}
            autoComplete="off"
            required
            error={error}
            hint={
              replaces ? "You have a saved query with this name: saving replaces it." : undefined
            }
          />
          <Actions>
            <Button onClick={close} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" pending={save.isPending}>
              {replaces ? "Replace" : "Save"}
            </Button>
          </Actions>
        </Stack>
      </form>
    </Dialog>
  );
}
