import type { ReactNode } from "react";

import styles from "./stack.module.css";

/** Sections of a page, one under the other with the console's standard gap. */
export function Stack({ gap = "md", children }: { gap?: "sm" | "md"; children: ReactNode }) {
  return (
    <div className={styles.stack} data-gap={gap}>
      {children}
    </div>
  );
}
