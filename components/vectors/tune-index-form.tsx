"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";

import styles from "./tune-index-form.module.css";
import {
  METHODS,
  METRICS,
  VECTOR_TYPES,
  type IndexMethod,
  type VectorMetric,
  type VectorType,
} from "./vector-types";

export type TuneRequest = { type: VectorType; metric: VectorMetric; method?: IndexMethod };

/**
 * Administrators rebuild and re-tune one index now instead of waiting for growth to trigger it
 * (after a bulk load, or to switch between IVFFlat and HNSW).
 */
export function TuneIndexForm({
  pending,
  onTune,
}: {
  pending: boolean;
  onTune: (request: TuneRequest) => void;
}) {
  const [type, setType] = useState<VectorType>("TEXT");
  const [metric, setMetric] = useState<VectorMetric>("cosine");
  const [method, setMethod] = useState<IndexMethod | "">("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onTune({ type, metric, ...(method ? { method } : {}) });
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Tune an index">
      <SelectField
        label="Index type"
        value={type}
        onChange={(event) => setType(event.target.value as VectorType)}
      >
        {VECTOR_TYPES.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Index metric"
        value={metric}
        onChange={(event) => setMetric(event.target.value as VectorMetric)}
      >
        {METRICS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Method"
        value={method}
        onChange={(event) => setMethod(event.target.value as IndexMethod | "")}
      >
        <option value="">Keep current</option>
        {METHODS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <Button type="submit" pending={pending}>
        Tune now
      </Button>
    </form>
  );
}
