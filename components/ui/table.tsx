"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

import styles from "./table.module.css";

/**
 * A data table in a bordered panel that scrolls sideways when the table is wider (on a phone,
 * most are). Children are the <thead> and <tbody>; the caption names the table for screen
 * readers.
 */
export function Table({
  caption,
  children,
  "data-testid": testId,
}: {
  caption: string;
  children: ReactNode;
  "data-testid"?: string;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);

  // Only a panel that actually scrolls becomes a focusable, named region, so keyboard users can
  // scroll it (WCAG 2.1.1) without a tab stop on every table that fits.
  useEffect(() => {
    const element = wrap.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setScrolls(element.scrollWidth > element.clientWidth + 1),
    );
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={wrap}
      className={styles.wrap}
      role={scrolls ? "region" : undefined}
      aria-label={scrolls ? caption : undefined}
      tabIndex={scrolls ? 0 : undefined}
    >
      <table className={styles.table} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
