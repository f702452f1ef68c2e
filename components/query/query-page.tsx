"use client";

import dynamic from "next/dynamic";

import { PageHeader } from "@/components/ui/page-header";

import styles from "./query-console.module.css";

/**
 * Rendered in the browser only: the editor is Monaco (web workers, measured layout) and its tabs,
 * history and saved panel sizes live in localStorage, so a server render would have nothing to
 * show but a different first frame.
 */
const QueryConsole = dynamic(
  () => import("./query-console").then((module) => module.QueryConsole),
  {
    ssr: false,
    loading: () => (
      <>
        <PageHeader title="Query" description="Loading the GraphQL editor…" />
        <div className={styles.editorSkeleton} aria-hidden="true" />
      </>
    ),
  },
);

export function QueryPage({ userId }: { userId: string }) {
  return <QueryConsole userId={userId} />;
}
