"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { buttonProps } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import { DropZone } from "./drop-zone";
import { ImportPreview } from "./import-preview";
import { FORMAT_OPTIONS, type ImportFormat } from "./import-types";
import styles from "./new-import-form.module.css";
import type { EmbeddingColumn, NewUploads } from "./use-tus-uploads";

const VECTOR_TYPES = ["TEXT", "IMAGE", "AUDIO", "CUSTOM"] as const;

/** Percent as typed → the share the server takes; "" → null (the server's default, 1 %). */
function errorRateOf(text: string): number | null | "invalid" {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value / 100 : "invalid";
}

/** Where files go and how they are read, then the drop zone that starts their uploads. */
export function NewImportForm({ onFiles }: { onFiles: (uploads: NewUploads) => void }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.data.datasets.list.queryOptions());
  const [chosen, setChosen] = useState("");
  const [format, setFormat] = useState<ImportFormat>("auto");
  const [errorRateText, setErrorRateText] = useState("");
  const [embeddingColumn, setEmbeddingColumn] = useState("");
  const [embeddingType, setEmbeddingType] = useState<string>("TEXT");
  const [embeddingModel, setEmbeddingModel] = useState("");
  // One file is previewed (delimiter, header, mapping) before its upload starts; several at once
  // are uploaded as they are, since one mapping rarely fits them all.
  const [staged, setStaged] = useState<File | null>(null);
  const list = datasets.data ?? [];
  // The only dataset is the obvious choice; with several, the user picks.
  const dataset = chosen || (list.length === 1 ? list[0]!.name : "");
  const errorRate = errorRateOf(errorRateText);
  const embedding: EmbeddingColumn | null = embeddingColumn.trim()
    ? { column: embeddingColumn.trim(), type: embeddingType, model: embeddingModel.trim() }
    : null;
  const modelMissing = embedding !== null && embedding.model === "";
  const optionsInvalid = errorRate === "invalid" || modelMissing;
  if (datasets.error)
    return <ErrorMessage error={datasets.error} title="Could not load datasets." />;
  if (datasets.data && list.length === 0) {
    return (
      <EmptyState
        title="No datasets yet"
        description="An import loads rows into a dataset, checked against its JSON Schema if it has one. Create a dataset first."
        action={
          <Link {...buttonProps("primary")} href="/data">
            Go to Data
          </Link>
        }
      />
    );
  }
  return (
    <div className={styles.form}>
      <div className={styles.fields}>
        <SelectField
          label="Dataset"
          value={dataset}
          onChange={(event) => setChosen(event.target.value)}
          disabled={datasets.isPending}
        >
          <option value="" disabled>
            {datasets.isPending ? "Loading…" : "Choose a dataset"}
          </option>
          {list.map((d) => (
            <option key={d.id} value={d.name}>
              {d.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Format"
          value={format}
          onChange={(event) => setFormat(event.target.value as ImportFormat)}
        >
          {FORMAT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Rejected rows allowed (%)"
          optional
          type="number"
          inputMode="decimal"
          min={0}
          max={100}
          step="any"
          placeholder="1"
          value={errorRateText}
          onChange={(event) => setErrorRateText(event.target.value)}
          error={errorRate === "invalid" ? "A percentage from 0 to 100." : null}
          hint="Above this share of bad rows the import fails and loads nothing."
        />
        <TextField
          label="Embedding column"
          optional
          value={embeddingColumn}
          onChange={(event) => setEmbeddingColumn(event.target.value)}
          hint="A column holding each row's vector (1536 numbers), stored as the record's embedding."
        />
        {embedding && (
          <>
            <SelectField
              label="Embedding type"
              value={embeddingType}
              onChange={(event) => setEmbeddingType(event.target.value)}
            >
              {VECTOR_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Embedding model"
              value={embeddingModel}
              onChange={(event) => setEmbeddingModel(event.target.value)}
              placeholder="e.g. cortex/text-embedding-3-small"
              error={modelMissing ? "Name the model that produced the vectors." : null}
            />
          </>
        )}
      </div>
      {staged ? (
        <ImportPreview
          key={`${staged.name}:${staged.size}:${staged.lastModified}`}
          file={staged}
          format={format}
          onCancel={() => setStaged(null)}
          onStart={(reading) => {
            if (errorRate === "invalid" || modelMissing || !dataset) return;
            onFiles({ files: [staged], dataset, format, errorRate, embedding, reading });
            setStaged(null);
          }}
        />
      ) : (
        <DropZone
          disabled={!dataset || optionsInvalid}
          disabledReason={!dataset ? "Choose a dataset first." : "Fix the options above first."}
          onFiles={(files) => {
            if (errorRate === "invalid" || modelMissing) return;
            if (files.length === 1) setStaged(files[0]!);
            else onFiles({ files, dataset, format, errorRate, embedding, reading: null });
          }}
        />
      )}
    </div>
  );
}
