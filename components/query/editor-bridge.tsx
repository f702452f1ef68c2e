"use client";

import { pick, useGraphiQL, useGraphiQLActions } from "@graphiql/react";
import { useEffect, useImperativeHandle, type Ref } from "react";

/** What the page around the editor needs of its active tab. */
export type EditorSnapshot = {
  query: string;
  /** The variables editor's text (JSON with comments allowed). */
  variables: string;
  operationName: string | null;
};

/** What the page around the editor may do to it. */
export type EditorController = {
  showPlugin: (title: string) => void;
};

/**
 * Rendered inside GraphiQL, where its store is: reports the active tab to the page (Save, Copy
 * as curl sit outside the editor) and hands the page a controller. Renders nothing.
 */
export function EditorBridge({
  onChange,
  controller,
}: {
  onChange: (snapshot: EditorSnapshot) => void;
  controller: Ref<EditorController>;
}) {
  const { tabs, activeTabIndex } = useGraphiQL(pick("tabs", "activeTabIndex"));
  const actions = useGraphiQLActions();
  const tab = tabs[activeTabIndex];
  const query = tab?.query ?? "";
  const variables = tab?.variables ?? "";
  const operationName = tab?.operationName ?? null;

  useEffect(() => {
    onChange({ query, variables, operationName });
  }, [onChange, query, variables, operationName]);

  useImperativeHandle(
    controller,
    () => ({ showPlugin: (title) => actions.setVisiblePlugin(title) }),
    [actions],
  );
  return null;
}
