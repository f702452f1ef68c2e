"use client";

import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";

import styles from "./audit-table.module.css";
import type { AuditEntry } from "./audit-types";

const COLUMNS = 7;

function Actor({ entry }: { entry: AuditEntry }) {
  if (!entry.actor) return <span className={styles.anonymous}>anonymous</span>;
  return (
    <>
      {entry.actor.email ?? <span className={styles.anonymous}>deleted user</span>}
      <span className={styles.sub}>via {entry.actorType.replace("_", " ")}</span>
    </>
  );
}

/** One entry, and below it (on demand) its summary as JSON. */
export function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  return (
    <>
      <tr data-testid="audit-row" data-action={entry.action}>
        <td className={styles.nowrap}>
          <DateTime value={entry.at} />
        </td>
        <td className={styles.wrap}>
          <Actor entry={entry} />
        </td>
        <th scope="row" className={`${styles.mono} ${styles.wrap}`}>
          {entry.action}
        </th>
        <td className={styles.wrap}>
          {entry.resourceType}
          {entry.resourceId && (
            <span
              className={`${styles.sub} ${styles.mono} ${styles.idBlock}`}
              title={entry.resourceId}
            >
              {entry.resourceId}
            </span>
          )}
        </td>
        <td className={`${styles.mono} ${styles.wrap}`}>{entry.ip ?? "—"}</td>
        <td className={styles.mono}>
          {entry.requestId ? (
            <span className={styles.id} title={entry.requestId}>
              {entry.requestId}
            </span>
          ) : (
            "—"
          )}
        </td>
        <td data-align="end">
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
          >
            {open ? "Hide" : "Details"}
            <span className="sr-only"> of {entry.action}</span>
          </Button>
        </td>
      </tr>
      <tr id={detailsId} hidden={!open}>
        <td colSpan={COLUMNS}>
          <pre className={styles.summary}>{JSON.stringify(entry.summary, null, 2)}</pre>
        </td>
      </tr>
    </>
  );
}
