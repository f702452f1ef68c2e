import styles from "./progress-bar.module.css";

/**
 * A native <progress>, so assistive tech (and tests) read it as a named progressbar with its
 * value. `value` null: indeterminate, for work whose total is not known yet.
 */
export function ProgressBar({
  label,
  value,
  max = 100,
  valueText,
  "data-testid": testId,
}: {
  /** Names the bar, e.g. "Upload of orders.csv". */
  label: string;
  value: number | null;
  max?: number;
  /** What a screen reader says instead of a bare percentage, e.g. "12 MB of 40 MB". */
  valueText?: string;
  "data-testid"?: string;
}) {
  return (
    <progress
      className={styles.bar}
      aria-label={label}
      aria-valuetext={valueText}
      value={value ?? undefined}
      max={max}
      data-testid={testId}
    />
  );
}
