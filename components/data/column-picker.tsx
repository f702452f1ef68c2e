"use client";

import { useEffect, useRef } from "react";

import { buttonProps } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";

import type { GridColumn } from "./grid-columns";
import styles from "./column-picker.module.css";

/**
 * Show or hide the grid's columns (the record id, each row's header, always stays). A disclosure
 * rather than a menu: its checkboxes are ordinary form controls, reachable by Tab.
 */
export function ColumnPicker({
  columns,
  hidden,
  onChange,
}: {
  columns: readonly GridColumn[];
  hidden: readonly string[];
  onChange: (hidden: string[]) => void;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  // Like a menu, it closes on a click elsewhere or Escape: left open, it would cover the grid.
  useEffect(() => {
    const element = details.current;
    if (!element) return;
    const close = (event: Event) => {
      if (!element.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        element.open = false;
        element.querySelector("summary")?.focus();
      } else if (!element.contains(event.target as Node)) {
        element.open = false;
      }
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", close);
    };
  }, []);
  const hiddenCount = columns.filter((column) => hidden.includes(column.key)).length;
  const groups = [
    { name: "Record", columns: columns.filter((column) => column.group === "record") },
    { name: "Payload", columns: columns.filter((column) => column.group === "payload") },
  ].filter((group) => group.columns.length > 0);
  const toggle = (key: string, shown: boolean) =>
    onChange(shown ? hidden.filter((other) => other !== key) : [...hidden, key]);

  return (
    <details ref={details} className={styles.picker} data-testid="column-picker">
      <summary {...buttonProps("secondary", "sm")}>
        Columns{hiddenCount > 0 ? ` · ${hiddenCount} hidden` : ""}
      </summary>
      <div className={styles.panel}>
        {groups.map((group) => (
          <fieldset key={group.name} className={styles.group}>
            <legend className={styles.legend}>{group.name}</legend>
            {group.columns.map((column) => (
              <CheckboxField
                key={column.key}
                label={<code>{column.field}</code>}
                checked={!hidden.includes(column.key)}
                onChange={(event) => toggle(column.key, event.target.checked)}
                data-testid="column-toggle"
                data-key={column.key}
              />
            ))}
          </fieldset>
        ))}
        {hiddenCount > 0 && (
          <button type="button" {...buttonProps("ghost", "sm")} onClick={() => onChange([])}>
            Show all columns
          </button>
        )}
      </div>
    </details>
  );
}
