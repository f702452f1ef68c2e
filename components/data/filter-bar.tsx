"use client";

import { useId, useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

import styles from "./filter-bar.module.css";
import {
  conditionErrors,
  describeCondition,
  FILTER_OPERATORS,
  IS_VALUES,
  normalizePath,
  OPERATOR_INFO,
  type FilterCondition,
  type FilterOperator,
} from "./record-query";

const EMPTY: FilterCondition = { path: "", op: "eq", negate: false, value: "" };

/**
 * Conditions on payload fields, ANDed: the applied ones as removable chips, and a row to add
 * one. `fields` (the keys seen on the page) are offered as suggestions; any path can be typed.
 */
export function FilterBar({
  filters,
  onChange,
  fields,
}: {
  filters: readonly FilterCondition[];
  onChange: (filters: FilterCondition[]) => void;
  fields: readonly string[];
}) {
  const listId = useId();
  const [draft, setDraft] = useState<FilterCondition>(EMPTY);
  const [errors, setErrors] = useState<{ path?: string; value?: string }>({});

  const add = (event: FormEvent) => {
    event.preventDefault();
    const found = conditionErrors(draft);
    setErrors(found);
    if (found.path || found.value) return;
    onChange([...filters, { ...draft, path: normalizePath(draft.path) }]);
    setDraft({ ...EMPTY, op: draft.op === "is" ? "eq" : draft.op });
  };

  const setOperator = (op: FilterOperator) => {
    // `is` takes one of three words, picked from a list; switching away leaves an empty field.
    const value = op === "is" ? "null" : draft.op === "is" ? "" : draft.value;
    setDraft({ ...draft, op, value });
    setErrors({});
  };

  return (
    <section className={styles.bar} aria-label="Filters" data-testid="filter-bar">
      <form className={styles.form} onSubmit={add} noValidate>
        <TextField
          label="Field"
          className={styles.path}
          placeholder="e.g. status"
          value={draft.path}
          onChange={(event) => setDraft({ ...draft, path: event.target.value })}
          list={listId}
          mono
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          error={errors.path}
          data-testid="filter-path"
        />
        <datalist id={listId}>
          {fields.map((field) => (
            <option key={field} value={field} />
          ))}
        </datalist>
        <SelectField
          label="Operator"
          className={styles.operator}
          value={draft.op}
          onChange={(event) => setOperator(event.target.value as FilterOperator)}
          data-testid="filter-operator"
        >
          {FILTER_OPERATORS.map((op) => (
            <option key={op} value={op}>
              {op} — {OPERATOR_INFO[op].label}
            </option>
          ))}
        </SelectField>
        {draft.op === "is" ? (
          <SelectField
            label="Value"
            className={styles.value}
            value={draft.value}
            onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            data-testid="filter-value"
          >
            {IS_VALUES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label="Value"
            className={styles.value}
            placeholder={OPERATOR_INFO[draft.op].placeholder}
            value={draft.value}
            onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            mono={draft.op === "cs"}
            autoComplete="off"
            spellCheck={false}
            error={errors.value}
            data-testid="filter-value"
          />
        )}
        <CheckboxField
          label="Not"
          className={styles.negate}
          checked={draft.negate}
          onChange={(event) => setDraft({ ...draft, negate: event.target.checked })}
          data-testid="filter-negate"
        />
        <Button type="submit" className={styles.add} data-testid="filter-add">
          Add filter
        </Button>
      </form>
      {filters.length > 0 && (
        <div className={styles.applied}>
          <ul className={styles.chips} aria-label="Applied filters">
            {filters.map((filter, index) => {
              const text = describeCondition(filter);
              return (
                <li key={`${index}:${text}`} className={styles.chip} data-testid="filter-chip">
                  <code>{text}</code>
                  <button
                    type="button"
                    className={styles.remove}
                    aria-label={`Remove filter ${text}`}
                    onClick={() => onChange(filters.filter((_, i) => i !== index))}
                  >
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                      <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />
                    </svg>
                  </button>
                </li>
              );
            })}
          </ul>
          <Button size="sm" variant="ghost" onClick={() => onChange([])}>
            Clear filters
          </Button>
        </div>
      )}
    </section>
  );
}
