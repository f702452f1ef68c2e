"use client";

import { useSyncExternalStore } from "react";

import { Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";

import { curlCommand } from "./record-query";
import styles from "./query-share.module.css";

const noSubscription = () => () => {};

/** This page's origin, known only in the browser (empty while rendering on the server). */
function useOrigin(): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "",
  );
}

/** The table's query as the API takes it, to copy into scripts, notebooks or a terminal. */
export function QueryShare({ queryString }: { queryString: string }) {
  const origin = useOrigin();
  return (
    <Card title="Use this query with the API" data-testid="query-share">
      <CopyField label="Query string" value={queryString} data-testid="query-string" />
      <CopyField label="curl" value={curlCommand(origin, queryString)} data-testid="query-curl" />
      <p className={styles.hint}>
        <code>GET /api/v1/lake/data</code> answers <code>{"{ items, next_cursor }"}</code>; pass{" "}
        <code>next_cursor</code> as <code>cursor</code> for the next page. Get{" "}
        <code>$LAKE_TOKEN</code> from <code>POST /api/v1/lake/auth/token</code>, or use an API key
        from Account → My API keys in its place.
      </p>
    </Card>
  );
}
