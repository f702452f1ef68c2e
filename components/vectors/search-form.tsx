"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import styles from "./search-form.module.css";
import {
  DEFAULT_SEARCH_FORM,
  MAX_K,
  toSearchInput,
  type FormErrors,
  type SearchForm as SearchFormState,
  type SearchInput,
} from "./search-request";
import { METRICS, VECTOR_TYPES } from "./vector-types";

const BY_OPTIONS = [
  { value: "text", label: "Text" },
  { value: "record", label: "Record" },
] as const;

/**
 * What to search for and how: a text (embedded by the server's provider) or an existing
 * record's embedding, then the type, metric, k and filters of POST /api/v1/lake/vectors/search.
 */
export function SearchForm({
  datasets,
  pending,
  onSearch,
}: {
  datasets: readonly { id: string; name: string }[];
  pending: boolean;
  onSearch: (input: SearchInput) => void;
}) {
  const [form, setForm] = useState<SearchFormState>(DEFAULT_SEARCH_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const set = <K extends keyof SearchFormState>(key: K, value: SearchFormState[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = toSearchInput(form);
    setErrors(request.errors ?? {});
    if (request.input) onSearch(request.input);
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Vector search" noValidate>
      <div className={styles.query}>
        <SegmentedControl
          label="Search by"
          options={BY_OPTIONS}
          value={form.by}
          onChange={(by) => set("by", by)}
        />
        {form.by === "text" ? (
          <TextField
            label="Query text"
            className={styles.grow}
            value={form.text}
            onChange={(event) => set("text", event.target.value)}
            error={errors.text}
            placeholder="e.g. red mountain bike"
          />
        ) : (
          <TextField
            label="Record id"
            className={styles.grow}
            mono
            value={form.recordId}
            onChange={(event) => set("recordId", event.target.value)}
            error={errors.recordId}
            hint="Finds the records closest to this record’s embedding of the chosen type."
          />
        )}
      </div>
      <div className={styles.options}>
        <SelectField
          label="Vector type"
          value={form.type}
          onChange={(event) => set("type", event.target.value as SearchFormState["type"])}
        >
          {VECTOR_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Metric"
          value={form.metric}
          onChange={(event) => set("metric", event.target.value as SearchFormState["metric"])}
        >
          {METRICS.map((metric) => (
            <option key={metric.value} value={metric.value}>
              {metric.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Results (k)"
          type="number"
          min={1}
          max={MAX_K}
          value={form.k}
          onChange={(event) => set("k", event.target.value)}
          error={errors.k}
        />
        <TextField
          label="Minimum score"
          optional
          inputMode="decimal"
          value={form.minScore}
          onChange={(event) => set("minScore", event.target.value)}
          error={errors.minScore}
        />
        <SelectField
          label="Dataset"
          value={form.dataset}
          onChange={(event) => set("dataset", event.target.value)}
        >
          <option value="">All I can read</option>
          {datasets.map((dataset) => (
            <option key={dataset.id} value={dataset.id}>
              {dataset.name}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Payload filter"
        optional
        mono
        value={form.where}
        onChange={(event) => set("where", event.target.value)}
        error={errors.where}
        hint="The Data API’s syntax, e.g. payload.status=eq.open&payload.amount=gt.10"
      />
      <div className={styles.footer}>
        <CheckboxField
          label="Include archived records"
          checked={form.includeArchived}
          onChange={(event) => set("includeArchived", event.target.checked)}
        />
        <Button type="submit" variant="primary" pending={pending}>
          Search
        </Button>
      </div>
    </form>
  );
}
