"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

import styles from "./console-shell.module.css";
import type { NavSection } from "./nav-items";
import { Sidebar } from "./sidebar";

// Same breakpoint as the CSS modules: below it the sidebar is a top bar with a drawer.
const COMPACT = "(max-width: 899.98px)";

function subscribeCompact(onChange: () => void) {
  const query = window.matchMedia(COMPACT);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the drawer layout applies (false on the server: the sidebar renders closed either way). */
function useCompact(): boolean {
  return useSyncExternalStore(
    subscribeCompact,
    () => window.matchMedia(COMPACT).matches,
    () => false,
  );
}

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
  const pathname = usePathname();
  const compact = useCompact();
  // The drawer belongs to the page it was opened on: navigating closes it without an effect, and
  // widening the window past the breakpoint does too (the sidebar is then always there).
  const [openedOn, setOpenedOn] = useState<string | null>(null);
  const open = compact && openedOn === pathname;

  // <main> is the scroller (the body never scrolls), but lock the body too in case content
  // outgrows the shell; both are restored on close.
  useEffect(() => {
    if (!open) return;
    const previous = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    return () => {
      document.body.style.overflow = previous;
    };
  }, [open]);

  return (
    <div className={styles.shell} data-nav-open={open || undefined}>
      <a href="#main" className={styles.skipLink}>
        Skip to content
      </a>
      <Sidebar
        sections={sections}
        email={email}
        open={open}
        onOpenChange={(next) => setOpenedOn(next ? pathname : null)}
      />
      {/* tabIndex lets the skip link move focus here, not just scroll. While the drawer is open
          the page under it is inert: no focus, no clicks, not read out. */}
      <main id="main" tabIndex={-1} className={styles.main} inert={open}>
        <div className={styles.content}>{children}</div>
      </main>
    </div>
  );
}
