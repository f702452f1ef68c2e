import { useId, type ReactNode } from "react";

import { CheckboxField } from "./checkbox-field";
import styles from "./field.module.css";
import { describedBy, FieldError } from "./field-error";

export type CheckboxOption<T extends string> = {
  value: T;
  label: string;
  description?: string;
  disabled?: boolean;
};

type CheckboxGroupProps<T extends string> = {
  legend: string;
  hint?: ReactNode;
  error?: string | null;
  options: readonly CheckboxOption<T>[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  disabled?: boolean;
};

/** A set of choices under one legend; the value keeps the options' order. */
export function CheckboxGroup<T extends string>({
  legend,
  hint,
  error,
  options,
  value,
  onChange,
  disabled,
}: CheckboxGroupProps<T>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const toggle = (option: T, checked: boolean) => {
    const next = new Set(value);
    if (checked) next.add(option);
    else next.delete(option);
    onChange(options.map((o) => o.value).filter((v) => next.has(v)));
  };
  return (
    <fieldset
      className={styles.fieldset}
      disabled={disabled}
      aria-describedby={describedBy(hint ? hintId : null, error ? errorId : null)}
    >
      <legend className={styles.legend}>{legend}</legend>
      {hint && (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      )}
      <div className={styles.options}>
        {options.map((option) => (
          <CheckboxField
            key={option.value}
            name={id}
            value={option.value}
            label={option.label}
            description={option.description}
            disabled={option.disabled}
            checked={value.includes(option.value)}
            onChange={(event) => toggle(option.value, event.target.checked)}
          />
        ))}
      </div>
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </fieldset>
  );
}
