import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

import styles from "./field.module.css";
import { describedBy, FieldError } from "./field-error";

type TextFieldProps = Omit<ComponentPropsWithRef<"input">, "children"> & {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  /** Monospace, for codes and keys. */
  mono?: boolean;
  /** Says "Optional" beside the label; required fields say nothing. */
  optional?: boolean;
};

export function TextField({
  label,
  hint,
  error,
  mono,
  optional,
  id,
  className,
  ...rest
}: TextFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  return (
    <div className={className ? `${styles.field} ${className}` : styles.field}>
      <label htmlFor={inputId} className={styles.label}>
        {label}
        {optional && <span className={styles.optional}>Optional</span>}
      </label>
      {hint && (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      )}
      <input
        {...rest}
        id={inputId}
        className={styles.input}
        data-mono={mono ? "" : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : null, error ? errorId : null)}
      />
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}
