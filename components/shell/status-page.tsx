import type { ReactNode } from "react";

import { LogoMark } from "@/components/ui/logo-mark";

import styles from "./status-page.module.css";

/**
 * What a page that could not be shown says instead (not found, failed): the status, what it means
 * for the user, and the ways on. `standalone` adds the brand and centres it for pages outside the
 * console shell (signed out, or the shell itself failed).
 */
export function StatusPage({
  code,
  title,
  description,
  actions,
  standalone = false,
  "data-testid": testId,
}: {
  /** Shown small above the title: "404", "Error". */
  code: string;
  title: string;
  description: ReactNode;
  /** Links or buttons back into the console. */
  actions: ReactNode;
  standalone?: boolean;
  "data-testid"?: string;
}) {
  const panel = (
    <section className={styles.panel} data-testid={testId}>
      <p className={styles.code}>{code}</p>
      <h1 className={styles.title}>{title}</h1>
      <div className={styles.description}>{description}</div>
      <div className={styles.actions}>{actions}</div>
    </section>
  );
  if (!standalone) return panel;
  return (
    <main className={styles.frame}>
      <div className={styles.column}>
        <div className={styles.brand}>
          <LogoMark className={styles.logo} />
          <span className={styles.brandName}>Datapunk Lake</span>
        </div>
        {panel}
      </div>
    </main>
  );
}
