"use client";

import { useId, useState } from "react";

import { TextField } from "@/components/ui/text-field";

import styles from "./api-search.module.css";
import { MethodBadge } from "./method-badge";
import { searchOperations, type OperationIndexEntry } from "./search-operations";

const MAX_RESULTS = 12;

/** Finds an operation by path, summary, tag or method, and links to it on the page. */
export function ApiSearch({ entries }: { entries: readonly OperationIndexEntry[] }) {
  const [query, setQuery] = useState("");
  const resultsId = useId();
  const results = searchOperations(entries, query);
  const shown = results.slice(0, MAX_RESULTS);
  return (
    <div role="search" className={styles.search} aria-label="Search the API reference">
      <TextField
        label="Search operations"
        hint="By path, summary, tag or method, e.g. “embeddings” or “post datasets”."
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-controls={resultsId}
      />
      <div id={resultsId}>
        {query.trim() && (
          <p className={styles.count} aria-live="polite">
            {results.length === 0
              ? "No operation matches."
              : results.length === 1
                ? "1 operation"
                : `${results.length} operations${results.length > MAX_RESULTS ? `, the first ${MAX_RESULTS} shown` : ""}`}
          </p>
        )}
        {shown.length > 0 && (
          <ul className={styles.results} data-testid="api-search-results">
            {shown.map((entry) => (
              <li key={entry.id}>
                <a href={`#${entry.id}`} className={styles.result} onClick={() => setQuery("")}>
                  <MethodBadge method={entry.method} />
                  <span className={styles.text}>
                    <code className={styles.path}>{entry.path}</code>
                    <span className={styles.summary}>
                      {entry.summary} · {entry.tag}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
