"use client";

import Link from "next/link";

import { buttonProps } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

import { hitLabel } from "./hit-label";
import { summarizePayload } from "./payload-summary";
import styles from "./record-dialog.module.css";
import { RecordEmbeddings } from "./record-embeddings";
import { recordHref } from "./search-results";
import type { SearchHit } from "./vector-types";

/** Fields the dialog lists before "+N more" (the whole record is one click away, on Data). */
const FIELDS = 12;

/**
 * A hit's record on the Vectors page: its payload, readable; its embeddings, and a form to add
 * one from text; and the way to the record on the Data page (where it can be edited).
 */
export function RecordDialog({
  hit,
  datasetName,
  onClose,
}: {
  /** null: closed. */
  hit: SearchHit | null;
  datasetName: string | undefined;
  onClose: () => void;
}) {
  const summary = hit
    ? summarizePayload(hit.record.payload, { maxFields: FIELDS, maxChars: 200 })
    : null;
  const label = hit ? hitLabel(hit) : "";
  return (
    <Dialog
      open={hit !== null}
      onClose={onClose}
      size="lg"
      title={label ? label.charAt(0).toUpperCase() + label.slice(1) : "Record"}
      data-testid="vector-record-dialog"
    >
      {hit && summary && (
        <div className={styles.body}>
          <dl className={styles.meta}>
            <div>
              <dt>Dataset</dt>
              <dd>{datasetName ?? hit.record.dataset_id}</dd>
            </div>
            <div>
              <dt>Record id</dt>
              <dd>
                <code data-testid="vector-record-id">{hit.record.id}</code>
              </dd>
            </div>
            <div>
              <dt>Score</dt>
              <dd>{hit.score.toFixed(4)}</dd>
            </div>
          </dl>
          <section aria-labelledby="record-payload-title" className={styles.payloadSection}>
            <h3 id="record-payload-title" className={styles.title}>
              Payload
            </h3>
            <dl className={styles.payload}>
              {summary.fields.map((field) => (
                <div key={field.key}>
                  <dt>{field.key}</dt>
                  <dd>{field.value}</dd>
                </div>
              ))}
            </dl>
            {summary.more > 0 && (
              <p className={styles.muted}>
                {summary.more} more {summary.more === 1 ? "field" : "fields"} on the Data page.
              </p>
            )}
          </section>
          <RecordEmbeddings recordId={hit.record.id} />
          {datasetName && (
            <div>
              <Link
                {...buttonProps("secondary", "sm")}
                href={recordHref(datasetName, hit.record.id)}
              >
                Open in Data
              </Link>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
