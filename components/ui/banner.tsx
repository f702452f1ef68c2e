import type { ComponentPropsWithoutRef } from "react";

import styles from "./banner.module.css";
import { ToneIcon, type Tone } from "./tone-icon";

type BannerProps = ComponentPropsWithoutRef<"div"> & { tone: Tone };

/** A full-width message about the state of a whole page, e.g. overall system health. */
export function Banner({ tone, className, children, ...rest }: BannerProps) {
  return (
    <div
      {...rest}
      className={className ? `${styles.banner} ${className}` : styles.banner}
      data-tone={tone}
    >
      <ToneIcon tone={tone} className={styles.icon} />
      <div className={styles.body}>{children}</div>
    </div>
  );
}
