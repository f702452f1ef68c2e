import { useId } from "react";

import styles from "./segmented-control.module.css";

export type SegmentedOption<T extends string> = { value: T; label: string };

/**
 * A few mutually exclusive choices shown side by side (a radio group underneath, so arrow keys
 * move between them and the group has one tab stop).
 */
export function SegmentedControl<T extends string>({
  label,
  options,
  value,
  onChange,
  "data-testid": testId,
}: {
  /** Shown before the choices and names the group. */
  label: string;
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
  "data-testid"?: string;
}) {
  const name = useId();
  return (
    <fieldset className={styles.group} data-testid={testId}>
      <legend className={styles.legend}>{label}</legend>
      <div className={styles.options}>
        {options.map((option) => (
          <label key={option.value} className={styles.option}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              className={styles.input}
            />
            <span className={styles.text}>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
