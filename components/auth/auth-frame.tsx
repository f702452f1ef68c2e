import type { ReactNode } from "react";

import { LogoMark } from "@/components/ui/logo-mark";

import styles from "./auth-frame.module.css";

export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <main className={styles.frame}>
      <div className={styles.column}>
        <div className={styles.brand}>
          <LogoMark className={styles.logo} />
          <span className={styles.brandName}>Datapunk Lake</span>
        </div>
        <div className={styles.card}>{children}</div>
        <p className={styles.footnote}>
          Accounts are created by an administrator. Ask yours for an invitation.
        </p>
      </div>
    </main>
  );
}
