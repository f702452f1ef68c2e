"use client";

import "./monaco-workers";
// GraphiQL's parts without its all-in-one style.css, which inlines its fonts as data: URLs that
// the Content-Security-Policy refuses (fonts come from 'self'); Monaco brings its own CSS and icon
// font through the bundle.
import "@graphiql/react/style.css";
import "@graphiql/plugin-doc-explorer/style.css";
import "@graphiql/plugin-history/style.css";
import "graphiql/graphiql.css";
import "./graphiql-theme.css";

import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import type { SavedQueryView } from "@/server/saved-queries/saved-query.schemas";

import { CurlDialog, curlFor } from "./curl-dialog";
import { EditorBridge, type EditorController, type EditorSnapshot } from "./editor-bridge";
import { createQueryClient, graphqlEndpoints } from "./graphql-client";
import styles from "./query-console.module.css";
import { ResultPane, type ResultView } from "./result-pane";
import { SAVED_QUERIES_PLUGIN, SavedQueryOpened } from "./saved-queries-plugin";
import { SaveQueryDialog } from "./save-query-dialog";
import { urqlFetcher } from "./urql-fetcher";
import { userStorage } from "./user-storage";

const DEFAULT_QUERY = `# Ctrl-Enter (⌘-Enter) runs the operation.
# Docs, History and Saved queries: the bar on the left.

query Me {
  me {
    id
    name
    email
  }
  datasets {
    name
    policy
    recordCount
  }
}
`;

// GraphiQL checks plugins by identity: one list for the page's lifetime.
const PLUGINS = [HISTORY_PLUGIN, SAVED_QUERIES_PLUGIN];
const EMPTY: EditorSnapshot = { query: "", variables: "", operationName: null };

/**
 * The Query page: GraphiQL (schema docs, variables, history, tabs) on an urql client — queries and
 * mutations over HTTP, subscriptions over graphql-ws, both as the signed-in user — with the
 * result as JSON or a table, the user's saved queries, and the operation as a curl command.
 */
export function QueryConsole({ userId }: { userId: string }) {
  const endpoints = useMemo(() => graphqlEndpoints(window.location), []);
  const query = useMemo(() => createQueryClient(endpoints), [endpoints]);
  useEffect(() => query.close, [query]);
  const fetcher = useMemo(() => urqlFetcher(query.client), [query]);
  const storage = useMemo(() => userStorage(userId), [userId]);

  const editor = useRef<EditorController>(null);
  const [snapshot, setSnapshot] = useState<EditorSnapshot>(EMPTY);
  const [view, setView] = useState<ResultView>("json");
  const [opened, setOpened] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [curl, setCurl] = useState<ReturnType<typeof curlFor> | null>(null);
  const [copied, setCopied] = useState(false);

  const onSnapshot = useCallback((next: EditorSnapshot) => setSnapshot(next), []);
  const onOpened = useCallback((saved: SavedQueryView) => setOpened(saved.name), []);

  async function copyAsCurl() {
    const next = curlFor(endpoints.http, snapshot);
    setCopied(false);
    setCurl(next);
    if (!("command" in next)) return;
    // Refused where the clipboard is (plain http on another host): the dialog still shows it.
    await navigator.clipboard.writeText(next.command).then(
      () => setCopied(true),
      () => undefined,
    );
  }

  return (
    <>
      <PageHeader
        title="Query"
        description="GraphQL against the Lake, as you. Ctrl-Enter (⌘-Enter) runs."
        actions={
          <>
            <Button onClick={() => void copyAsCurl()} data-testid="query-copy-curl">
              Copy as curl
            </Button>
            <Button variant="primary" onClick={() => setSaving(true)} data-testid="query-save">
              Save
            </Button>
          </>
        }
      />
      <div className={styles.editor} data-view={view} data-testid="query-editor">
        <SavedQueryOpened value={onOpened}>
          <GraphiQL
            fetcher={fetcher}
            storage={storage}
            plugins={PLUGINS}
            defaultQuery={DEFAULT_QUERY}
            // Requests always carry the console's session: no headers to edit or persist.
            isHeadersEditorEnabled={false}
            shouldPersistHeaders={false}
            showPersistHeadersSettings={false}
          >
            <GraphiQL.Logo>{null}</GraphiQL.Logo>
            <GraphiQL.Footer>
              <ResultPane view={view} onView={setView} />
            </GraphiQL.Footer>
            <EditorBridge onChange={onSnapshot} controller={editor} />
          </GraphiQL>
        </SavedQueryOpened>
      </div>
      <SaveQueryDialog
        open={saving}
        onClose={() => setSaving(false)}
        snapshot={snapshot}
        defaultName={opened ?? snapshot.operationName ?? ""}
        onSaved={(saved) => {
          setOpened(saved.name);
          editor.current?.showPlugin(SAVED_QUERIES_PLUGIN.title);
        }}
      />
      <CurlDialog curl={curl} copied={copied} onClose={() => setCurl(null)} />
    </>
  );
}
