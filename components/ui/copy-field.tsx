"use client";

import { useEffect, useId, useRef, useState } from "react";

import { Button } from "./button";
import styles from "./copy-field.module.css";

type CopyFieldProps = {
  label: string;
  value: string;
  /** Put on the value itself, so tests read it without the label or button. */
  "data-testid"?: string;
};

/**
 * A value to copy (a secret, a key) in a monospace box with a Copy button. Where the clipboard
 * API is refused (plain http on another host), the value is selected for Ctrl+C instead.
 */
export function CopyField({ label, value, "data-testid": testId }: CopyFieldProps) {
  const labelId = useId();
  const valueRef = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState("");

  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(""), 4000);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied to the clipboard.");
    } catch {
      const selection = window.getSelection();
      if (valueRef.current && selection) selection.selectAllChildren(valueRef.current);
      setStatus("Selected: press Ctrl+C (⌘C) to copy.");
    }
  };

  return (
    <div className={styles.field} role="group" aria-labelledby={labelId}>
      <span id={labelId} className={styles.label}>
        {label}
      </span>
      <div className={styles.row}>
        <pre ref={valueRef} className={styles.value} data-testid={testId}>
          {value}
        </pre>
        <Button size="sm" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </Button>
      </div>
      <p className={styles.status} role="status">
        {status}
      </p>
    </div>
  );
}
