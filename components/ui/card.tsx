import { useId, type ComponentPropsWithoutRef, type ReactNode } from "react";

import styles from "./card.module.css";

type CardProps = Omit<ComponentPropsWithoutRef<"section">, "title"> & {
  title: string;
  /** Shown at the end of the title row, typically a StatusBadge. */
  badge?: ReactNode;
};

/** A titled panel; the title is an h2 that also names the section for assistive tech. */
export function Card({ title, badge, className, children, ...rest }: CardProps) {
  const titleId = useId();
  return (
    <section
      {...rest}
      aria-labelledby={titleId}
      className={className ? `${styles.card} ${className}` : styles.card}
    >
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        {badge}
      </header>
      <div className={styles.body}>{children}</div>
    </section>
  );
}
