"use client";

import { useId, useState, type DragEvent } from "react";

import styles from "./drop-zone.module.css";

/**
 * Where files are dropped — and, for keyboards and screen readers, a real file input: the zone is
 * its label, so Enter or Space on the focused input opens the picker, and a click anywhere does.
 */
export function DropZone({
  onFiles,
  disabled,
  disabledReason,
}: {
  onFiles: (files: File[]) => void;
  disabled: boolean;
  /** Said in the zone while it is disabled, e.g. "Choose a dataset first." */
  disabledReason?: string;
}) {
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  const accept = (event: DragEvent) => {
    // Without preventDefault on dragover the browser opens a dropped file instead.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? "none" : "copy";
    setDragging(!disabled);
  };

  return (
    <div
      className={styles.zone}
      data-dragging={dragging ? "" : undefined}
      data-disabled={disabled ? "" : undefined}
      data-testid="drop-zone"
      onDragEnter={accept}
      onDragOver={accept}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const files = Array.from(event.dataTransfer?.files ?? []);
        if (!disabled && files.length > 0) onFiles(files);
      }}
    >
      <input
        id={inputId}
        type="file"
        multiple
        className="sr-only"
        disabled={disabled}
        aria-describedby={hintId}
        accept=".csv,.tsv,.txt,.ndjson,.jsonl,.json,.gz,text/csv,application/json,application/gzip"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Cleared, so choosing the same file again (to resume it) fires a change.
          event.target.value = "";
          if (files.length > 0) onFiles(files);
        }}
      />
      <label htmlFor={inputId} className={styles.label}>
        <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 15V3M7 8l5-5 5 5M4 15v4h16v-4" />
        </svg>
        <span className={styles.title}>
          Drop files here or <span className={styles.link}>choose files</span>
        </span>
      </label>
      <p id={hintId} className={styles.hint}>
        {disabled && disabledReason
          ? disabledReason
          : "CSV with a header row, NDJSON or a JSON array, optionally gzip-compressed; up to 5 GB each. Dropping a file whose upload was interrupted resumes it."}
      </p>
    </div>
  );
}
