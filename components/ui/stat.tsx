import type { ReactNode } from "react";

import styles from "./stat.module.css";

type StatProps = {
  label: string;
  children: ReactNode;
  /** "lg" for a headline figure that stands on its own, e.g. a stat tile. */
  size?: "md" | "lg";
  className?: string;
  /** Set on the value (the <dd>), so tests read the value without its label. */
  testId?: string;
};

/** One label/value pair; render it inside a <dl>. */
export function Stat({ label, children, size = "md", className, testId }: StatProps) {
  return (
    <div className={className ? `${styles.stat} ${className}` : styles.stat} data-size={size}>
      <dt className={styles.label}>{label}</dt>
      <dd className={styles.value} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
