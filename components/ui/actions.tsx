import type { ReactNode } from "react";

import styles from "./actions.module.css";

/** A row of buttons: at the end of a dialog or form, or at the start of a card. */
export function Actions({
  align = "end",
  children,
}: {
  align?: "start" | "end";
  children: ReactNode;
}) {
  return (
    <div className={styles.actions} data-align={align}>
      {children}
    </div>
  );
}
