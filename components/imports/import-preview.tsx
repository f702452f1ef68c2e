"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Actions } from "@/components/ui/actions";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { SelectField } from "@/components/ui/select-field";
import { Skeleton } from "@/components/ui/skeleton";
import { Table } from "@/components/ui/table";

import {
  initialChoices,
  mappingMetadata,
  mappingProblems,
  type ColumnChoice,
} from "./column-mapping";
import { ColumnMappingTable } from "./column-mapping-table";
import {
  DELIMITERS,
  delimiterName,
  headerLine,
  parsePreview,
  type Delimiter,
} from "./file-preview";
import { formatBytes } from "./import-format";
import styles from "./import-preview.module.css";
import type { ImportFormat } from "./import-types";
import { readFileHead } from "./read-file-head";

/** How the file is to be read, as the upload's metadata and body will say it. */
export type ReadingChoice = {
  /** `delimiter` metadata (comma, semicolon…); null for NDJSON and JSON. */
  delimiter: string | null;
  /** `mapping` metadata; null: every column under its own name. */
  mapping: string | null;
  /** A header line uploaded in front of a file that has none. */
  header: string | null;
};

/**
 * The first rows of a chosen file, read in the browser before any byte is uploaded, with the
 * delimiter, header and column mapping the import will use; "Start import" uploads it so.
 */
export function ImportPreview({
  file,
  format,
  onStart,
  onCancel,
}: {
  file: File;
  format: ImportFormat;
  onStart: (choice: ReadingChoice) => void;
  onCancel: () => void;
}) {
  const head = useQuery({
    queryKey: ["import-preview", file.name, file.size, file.lastModified],
    queryFn: () => readFileHead(file),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const [delimiter, setDelimiter] = useState<Delimiter | null>(null);
  const [header, setHeader] = useState(true);
  // Edits by source column, over the defaults of whatever columns the current reading finds.
  const [edits, setEdits] = useState<ReadonlyMap<string, Partial<ColumnChoice>>>(new Map());

  const preview = head.data
    ? parsePreview(head.data.text, {
        filename: file.name,
        format,
        delimiter,
        header,
        complete: head.data.complete,
      })
    : null;
  const columns = preview && "columns" in preview ? preview.columns : [];
  const choices = initialChoices(columns).map((choice) => ({
    ...choice,
    ...edits.get(choice.source),
  }));
  const problems = mappingProblems(choices);
  const kept = choices.filter((choice) => choice.keep);
  const csv = preview?.format === "csv";

  const start = () => {
    if (problems.size > 0) return;
    const used = preview && "delimiter" in preview ? preview.delimiter : null;
    onStart({
      delimiter: csv && used ? delimiterName(used) : null,
      mapping: mappingMetadata(choices),
      header: csv && !header && used ? headerLine(columns, used) : null,
    });
  };

  return (
    <section
      className={styles.preview}
      aria-labelledby="import-preview-title"
      data-testid="import-preview"
    >
      <div className={styles.head}>
        <h3 id="import-preview-title" className={styles.title}>
          {file.name}
        </h3>
        <span className={styles.meta}>
          {formatBytes(file.size)}
          {preview ? ` · ${preview.format.toUpperCase()}` : ""}
        </span>
      </div>
      {csv && (
        <div className={styles.controls}>
          <SelectField
            label="Delimiter"
            value={delimiter ?? ""}
            onChange={(event) => setDelimiter((event.target.value || null) as Delimiter | null)}
          >
            <option value="">
              Detect
              {preview && "delimiter" in preview && preview.delimiter && delimiter === null
                ? ` (${DELIMITERS.find((d) => d.value === preview.delimiter)!.label})`
                : ""}
            </option>
            {DELIMITERS.map((option) => (
              <option key={option.name} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
          <CheckboxField
            label="The first row holds the column names"
            checked={header}
            onChange={(event) => setHeader(event.target.checked)}
            description={
              header ? undefined : "The columns are named column_1, column_2… — rename them below."
            }
          />
        </div>
      )}
      {head.isPending && (
        <div aria-busy="true">
          <span className="sr-only">Reading the first rows…</span>
          <Skeleton height="8rem" />
        </div>
      )}
      {head.error && (
        <Banner tone="warning" role="status">
          The file could not be read for a preview ({head.error.message}). It can still be imported
          as it is.
        </Banner>
      )}
      {preview && "message" in preview && <p className={styles.note}>{preview.message}</p>}
      {preview && "error" in preview && (
        <Banner tone="warning" role="status">
          {preview.error} The import would fail the same way.
        </Banner>
      )}
      {preview && "rows" in preview && (
        <>
          <p className={styles.note} data-testid="preview-summary">
            The first {preview.rows.length} {preview.rows.length === 1 ? "row" : "rows"}, with{" "}
            {kept.length} of {columns.length} columns imported.
          </p>
          <Table caption={`The first rows of ${file.name}`} data-testid="preview-table">
            <thead>
              <tr>
                {kept.map((choice) => (
                  <th key={choice.source} scope="col">
                    {choice.target.trim() || choice.source}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, rowIndex) => (
                <tr key={rowIndex} data-testid="preview-row">
                  {choices.map((choice, index) =>
                    choice.keep ? (
                      <td key={choice.source} className={styles.cell}>
                        {row[index]}
                      </td>
                    ) : null,
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
          <ColumnMappingTable
            choices={choices}
            problems={problems}
            onChange={(source, patch) =>
              setEdits((map) => new Map(map).set(source, { ...map.get(source), ...patch }))
            }
          />
        </>
      )}
      <Actions align="start">
        <Button variant="primary" onClick={start} disabled={problems.size > 0 || head.isPending}>
          Start import
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Choose another file
        </Button>
      </Actions>
    </section>
  );
}
