"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

import { LogoMark } from "@/components/ui/logo-mark";

import type { NavSection } from "./nav-items";
import { NavIcon } from "./nav-icon";
import { currentNavItem, currentPageLabel } from "./nav-match";
import { SignOutButton } from "./sign-out-button";
import styles from "./sidebar.module.css";

const PANEL_ID = "console-navigation";

const MENU_ICON = "M4 7h16M4 12h16M4 17h16";
const CLOSE_ICON = "M6 6l12 12M18 6 6 18";

/**
 * One navigation for every width: a sidebar on wide screens; below the breakpoint a top bar with
 * the current page's name and a menu button, and the same panel as a drawer. Rendering it once
 * keeps one landmark and one set of links for assistive tech and tests.
 */
export function Sidebar({
  sections,
  email,
  open,
  onOpenChange,
}: {
  sections: NavSection[];
  email: string;
  /** The drawer is open (only ever true in the compact layout). */
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const pathname = usePathname();
  const current = currentNavItem(sections, pathname);
  const menuButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);

  // Focus goes into the drawer on open (to the current page, where the user is) and back to the
  // menu button on close — unless the user has already put it somewhere else that still shows.
  useEffect(() => {
    if (open) {
      const target =
        panel.current?.querySelector<HTMLElement>('[aria-current="page"]') ??
        panel.current?.querySelector<HTMLElement>("a, button");
      target?.focus();
    } else if (wasOpen.current) {
      const active = document.activeElement;
      if (!active || active === document.body || panel.current?.contains(active)) {
        menuButton.current?.focus();
      }
    }
    wasOpen.current = open;
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") onOpenChange(false);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open, onOpenChange]);

  return (
    <aside className={styles.sidebar} data-open={open || undefined}>
      <div className={styles.bar}>
        <Link href="/" className={styles.brand}>
          <LogoMark className={styles.logo} />
          <span className={styles.brandName}>Datapunk Lake</span>
        </Link>
        <span className={styles.current} data-testid="current-page-name">
          {currentPageLabel(sections, pathname)}
        </span>
        <button
          ref={menuButton}
          type="button"
          className={styles.menuButton}
          aria-expanded={open}
          aria-controls={PANEL_ID}
          onClick={() => onOpenChange(!open)}
        >
          <NavIcon d={open ? CLOSE_ICON : MENU_ICON} className={styles.icon} />
          Menu
        </button>
      </div>

      <div id={PANEL_ID} ref={panel} className={styles.panel}>
        <nav aria-label="Console" className={styles.nav}>
          {sections.map((section) => {
            const headingId = `nav-section-${section.label.toLowerCase().replace(/\W+/g, "-")}`;
            return (
              <div key={section.label} className={styles.section}>
                <div id={headingId} className={styles.sectionLabel}>
                  {section.label}
                </div>
                <ul aria-labelledby={headingId} className={styles.list}>
                  {section.items.map((item) => (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        className={styles.link}
                        aria-current={item === current ? "page" : undefined}
                        // The current page's link navigates nowhere, so close by hand.
                        onClick={() => onOpenChange(false)}
                      >
                        <NavIcon d={item.icon} className={styles.icon} />
                        {item.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>

        <footer className={styles.footer}>
          <div className={styles.account}>
            <span className={styles.accountLabel}>Signed in as</span>
            <span className={styles.email} title={email} data-testid="signed-in-email">
              {email}
            </span>
          </div>
          <SignOutButton />
        </footer>
      </div>

      {/* Decorative: Escape and the menu button are the keyboard's ways out. */}
      {open && (
        <div className={styles.backdrop} aria-hidden="true" onClick={() => onOpenChange(false)} />
      )}
    </aside>
  );
}
