import type { ReactNode } from "react";

import styles from "./console-shell.module.css";
import type { NavSection } from "./nav-items";
import { Sidebar } from "./sidebar";

export function ConsoleShell({
  sections,
  email,
  children,
}: {
  /** What this user may open (navSectionsFor). */
  sections: NavSection[];
  /** The signed-in user's email, shown beside the sign-out control. */
  email: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skipLink}>
        Skip to content
      </a>
      <Sidebar sections={sections} email={email} />
      {/* tabIndex lets the skip link move focus here, not just scroll. */}
      <main id="main" tabIndex={-1} className={styles.main}>
        <div className={styles.content}>{children}</div>
      </main>
    </div>
  );
}
