"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { navSections } from "./nav-items";
import styles from "./sidebar.module.css";

/** "/" matches only itself; other entries stay active on their sub-pages. */
function isActive(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

function LogoMark() {
  return (
    <svg className={styles.logo} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <g fill="none" stroke="#0b0e12" strokeWidth="1.8" strokeLinecap="round">
        <path d="M5 8.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" />
        <path d="M5 12.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" opacity="0.75" />
        <path d="M5 16.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" opacity="0.5" />
      </g>
    </svg>
  );
}

export function Sidebar() {
  const pathname = usePathname();

  return (
    <aside className={styles.sidebar}>
      <Link href="/" className={styles.brand}>
        <LogoMark />
        <span className={styles.brandName}>Datapunk Lake</span>
      </Link>

      <nav aria-label="Console" className={styles.nav}>
        {navSections.map((section) => {
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
        <span>Part of the Datapunk ecosystem</span>
      </footer>
    </aside>
  );
}
