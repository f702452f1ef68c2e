import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

import styles from "./field.module.css";
import { describedBy, FieldError } from "./field-error";
import areaStyles from "./text-area-field.module.css";

type TextAreaFieldProps = Omit<ComponentPropsWithRef<"textarea">, "children"> & {
  label: string;
  hint?: ReactNode;
  /** One message, or several (each on its own line), e.g. every failing path of a payload. */
  error?: string | readonly string[] | null;
  /** Monospace, for JSON and code. */
  mono?: boolean;
  optional?: boolean;
};

/** A multi-line TextField: same label, hint and error wiring. */
export function TextAreaField({
  label,
  hint,
  error,
  mono,
  optional,
  id,
  className,
  ...rest
}: TextAreaFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const errors = error ? (typeof error === "string" ? [error] : error) : [];
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
      <textarea
        {...rest}
        id={inputId}
        className={`${styles.input} ${areaStyles.area}`}
        data-mono={mono ? "" : undefined}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : null, errors.length > 0 ? errorId : null)}
      />
      {errors.length > 0 && (
        <div id={errorId} className={areaStyles.errors}>
          {errors.map((message, index) => (
            <FieldError key={`${index}:${message}`} id={`${errorId}-${index}`}>
              {message}
            </FieldError>
          ))}
        </div>
      )}
    </div>
  );
}
