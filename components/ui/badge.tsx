import type { ComponentPropsWithoutRef } from "react";

import styles from "./badge.module.css";
import { ToneIcon, type Tone } from "./tone-icon";

type BadgeProps = ComponentPropsWithoutRef<"span"> & {
  tone: Tone;
  /** Off for plain tags (scopes, role names) whose tone carries no status. */
  icon?: boolean;
};

/** A small pill; with its icon, status never relies on colour alone. */
export function Badge({ tone, icon = true, className, children, ...rest }: BadgeProps) {
  return (
    <span
      {...rest}
      className={className ? `${styles.badge} ${className}` : styles.badge}
      data-tone={tone}
      data-plain={icon ? undefined : ""}
    >
      {icon && <ToneIcon tone={tone} className={styles.icon} />}
      {children}
    </span>
  );
}
