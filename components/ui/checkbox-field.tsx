import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

import styles from "./field.module.css";
import { describedBy, FieldError } from "./field-error";

type CheckboxFieldProps = Omit<ComponentPropsWithRef<"input">, "type" | "children"> & {
  label: ReactNode;
  description?: ReactNode;
  error?: string | null;
};

/** One checkbox with its label and an optional description below it. */
export function CheckboxField({
  label,
  description,
  error,
  id,
  className,
  disabled,
  ...rest
}: CheckboxFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const descriptionId = `${inputId}-description`;
  const errorId = `${inputId}-error`;
  return (
    <div className={className ? `${styles.field} ${className}` : styles.field}>
      <div className={styles.check} data-disabled={disabled ? "" : undefined}>
        <input
          {...rest}
          type="checkbox"
          id={inputId}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(description ? descriptionId : null, error ? errorId : null)}
        />
        <label htmlFor={inputId} className={styles.checkLabel}>
          {label}
        </label>
        {description && (
          <p id={descriptionId} className={styles.checkDescription}>
            {description}
          </p>
        )}
      </div>
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}
