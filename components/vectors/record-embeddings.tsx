"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { ErrorMessage } from "@/components/ui/error-message";
import { SelectField } from "@/components/ui/select-field";
import { Skeleton } from "@/components/ui/skeleton";
import { TextAreaField } from "@/components/ui/text-area-field";

import styles from "./record-embeddings.module.css";
import { VECTOR_TYPES, type VectorType } from "./vector-types";

const SHOWN_COMPONENTS = 6;

/** "0.0123, −0.0456, … (1,536 numbers)": enough to tell vectors apart, not a wall of numbers. */
function vectorPreview(vector: readonly number[]): string {
  const head = vector.slice(0, SHOWN_COMPONENTS).map((value) => value.toFixed(4));
  return `${head.join(", ")}${vector.length > SHOWN_COMPONENTS ? ", …" : ""}`;
}

/**
 * A record's embeddings — type, model, when written, the first components — and a form that
 * writes one from text with the configured embedder (as PUT …/embeddings/{type} with `{text}`),
 * replacing the record's embedding of that type if it has one.
 */
export function RecordEmbeddings({ recordId }: { recordId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const embeddings = useQuery(trpc.vectors.embeddings.queryOptions({ recordId }));
  const [type, setType] = useState<VectorType>("TEXT");
  const [text, setText] = useState("");
  const save = useMutation(
    trpc.vectors.embedText.mutationOptions({
      onSuccess: async () => {
        setText("");
        await Promise.all([
          queryClient.invalidateQueries(trpc.vectors.embeddings.queryFilter({ recordId })),
          queryClient.invalidateQueries(trpc.vectors.embeddingCounts.queryFilter()),
          queryClient.invalidateQueries(trpc.vectors.indexes.queryFilter()),
        ]);
      },
    }),
  );
  const items = embeddings.data ?? [];
  const replacing = items.some((item) => item.type === type);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) save.mutate({ recordId, type, text });
  };

  return (
    <section className={styles.section} aria-labelledby="record-embeddings-title">
      <h3 id="record-embeddings-title" className={styles.title}>
        Embeddings
      </h3>
      <ErrorMessage error={embeddings.error} title="Could not load the embeddings." />
      {embeddings.isPending && (
        <div aria-busy="true">
          <span className="sr-only">Loading the embeddings…</span>
          <Skeleton height="3rem" />
        </div>
      )}
      {embeddings.data && items.length === 0 && (
        <p className={styles.muted}>This record has no embeddings yet.</p>
      )}
      {items.length > 0 && (
        <ul className={styles.list}>
          {items.map((item) => (
            <li
              key={item.type}
              className={styles.item}
              data-testid="record-embedding"
              data-type={item.type}
            >
              <div className={styles.itemHead}>
                <Badge tone="neutral" icon={false}>
                  {item.type}
                </Badge>
                <span className={styles.model}>{item.model}</span>
                <span className={styles.muted}>
                  {item.dimensions} dimensions · <DateTime value={item.updated_at} />
                </span>
              </div>
              <code className={styles.vector}>{vectorPreview(item.vector)}</code>
            </li>
          ))}
        </ul>
      )}
      <form className={styles.form} onSubmit={submit} aria-label="Embed a text">
        <SelectField
          label="Embedding type"
          value={type}
          onChange={(event) => setType(event.target.value as VectorType)}
        >
          {VECTOR_TYPES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Text to embed"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          hint={`Embedded by the Lake's embedder${replacing ? `; replaces this record's ${type} embedding` : ""}.`}
        />
        <div>
          <Button type="submit" variant="primary" pending={save.isPending} disabled={!text.trim()}>
            {replacing ? "Replace embedding" : "Add embedding"}
          </Button>
        </div>
      </form>
      <ErrorMessage error={save.error} title="The embedding was not saved." />
      {save.isSuccess && (
        <Banner tone="success" role="status" data-testid="embedding-saved">
          Saved the {save.data.type} embedding ({save.data.model}).
        </Banner>
      )}
    </section>
  );
}
