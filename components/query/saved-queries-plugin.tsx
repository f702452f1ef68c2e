"use client";

import { pick, StarIcon, useGraphiQL, type GraphiQLPlugin } from "@graphiql/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { ErrorMessage } from "@/components/ui/error-message";
import type { SavedQueryView } from "@/server/saved-queries/saved-query.schemas";

import styles from "./saved-queries-plugin.module.css";

/** What the page learns from the panel: the saved query now in the editor (Save's default name). */
export const SavedQueryOpened = createContext<(saved: SavedQueryView) => void>(() => undefined);

/** The variables editor's text for saved variables: none at all when there are none. */
export const variablesText = (variables: Record<string, unknown>) =>
  Object.keys(variables).length > 0 ? JSON.stringify(variables, null, 2) : "";

/**
 * The user's saved queries, beside GraphiQL's own Docs and History in its left bar: open one into
 * the editor (replacing the active tab's operation, as History does), or delete it. Saving is the
 * page's Save button.
 */
function SavedQueriesPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const opened = useContext(SavedQueryOpened);
  const list = useQuery(trpc.savedQueries.list.queryOptions());
  const { queryEditor, variableEditor } = useGraphiQL(pick("queryEditor", "variableEditor"));
  const [deleting, setDeleting] = useState<SavedQueryView | null>(null);
  const remove = useMutation(
    trpc.savedQueries.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.savedQueries.list.queryFilter());
        setDeleting(null);
      },
    }),
  );

  function open(saved: SavedQueryView) {
    queryEditor?.setValue(saved.query);
    variableEditor?.setValue(variablesText(saved.variables));
    // Straight into the editor, so Ctrl-Enter runs it.
    queryEditor?.focus();
    opened(saved);
  }

  return (
    <section
      className={styles.panel}
      aria-labelledby="saved-queries-title"
      data-testid="saved-queries"
    >
      <h2 id="saved-queries-title" className={styles.title}>
        Saved queries
      </h2>
      <ErrorMessage error={list.error} title="Your saved queries could not be loaded." />
      {list.isPending && <p className={styles.hint}>Loading…</p>}
      {list.isSuccess && list.data.length === 0 && (
        <p className={styles.hint} data-testid="saved-queries-empty">
          You have no saved queries yet. Write one, then <strong>Save</strong> it above the editor:
          it is kept for your account, on any browser.
        </p>
      )}
      {list.isSuccess && list.data.length > 0 && (
        <ul className={styles.list}>
          {list.data.map((saved) => (
            <li key={saved.id} className={styles.item}>
              <button
                type="button"
                className={styles.open}
                onClick={() => open(saved)}
                data-testid="saved-query"
              >
                <span className={styles.name}>{saved.name}</span>
                <span className={styles.meta}>
                  saved <DateTime value={saved.updated_at} />
                </span>
              </button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Delete ${saved.name}`}
                onClick={() => setDeleting(saved)}
              >
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title="Delete this saved query?"
        confirmLabel="Delete"
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        pending={remove.isPending}
        error={remove.error}
      >
        <p>
          <strong>{deleting?.name}</strong> will be gone for good. What is in the editor stays.
        </p>
      </ConfirmDialog>
    </section>
  );
}

export const SAVED_QUERIES_PLUGIN: GraphiQLPlugin = {
  title: "Saved queries",
  icon: () => <StarIcon aria-hidden="true" />,
  content: SavedQueriesPanel,
};
