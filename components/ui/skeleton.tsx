import type { CSSProperties } from "react";

import styles from "./skeleton.module.css";

/**
 * A shimmering placeholder of the shape of what is loading. Hidden from assistive tech: the
 * region that waits says so itself (aria-busy, or a "Loading…" in .sr-only text).
 */
export function Skeleton({
  height,
  width = "100%",
  className,
}: {
  /** Any CSS length: "11rem", 180. */
  height: CSSProperties["height"];
  width?: CSSProperties["width"];
  className?: string;
}) {
  return (
    <div
      aria-hidden="true"
      className={className ? `${styles.skeleton} ${className}` : styles.skeleton}
      style={{ height, width }}
    />
  );
}
