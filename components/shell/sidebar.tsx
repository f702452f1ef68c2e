"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { LogoMark } from "@/components/ui/logo-mark";

import type { NavSection } from "./nav-items";
import { SignOutButton } from "./sign-out-button";
import styles from "./sidebar.module.css";

/** "/" matches only itself; other entries stay active on their sub-pages. */
function isActive(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function Sidebar({ sections, email }: { sections: NavSection[]; email: string }) {
  const pathname = usePathname();

  return (
    <aside className={styles.sidebar}>
      <Link href="/" className={styles.brand}>
        <LogoMark className={styles.logo} />
        <span className={styles.brandName}>Datapunk Lake</span>
      </Link>

      <nav aria-label="Console" className={styles.nav}>
        {sections.map((section) => {
          const headingId = `nav-section-${section.label.toLowerCase().replace(/\W+/g, "-")}`;
          return (
            <div key={section.label} className={styles.section}>
              <div id={headingId} className={styles.sectionLabel}>
                {section.label}
              </div>
              <ul aria-labelledby={headingId} className={styles.list}>
                {section.items.map((item) => {
                  const active = isActive(pathname, item.href);
                  return (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        className={styles.link}
                        aria-current={active ? "page" : undefined}
                      >
                        <svg
                          className={styles.icon}
                          viewBox="0 0 24 24"
                          fill="none"
                          stroke="currentColor"
                          strokeWidth="1.75"
                          strokeLinecap="round"
                          strokeLinejoin="round"
                          aria-hidden="true"
                          focusable="false"
                        >
                          <path d={item.icon} />
                        </svg>
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
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
    </aside>
  );
}
