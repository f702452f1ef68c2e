import styles from "./code-block.module.css";

/**
 * A block of code that scrolls sideways rather than widening the page. Focusable and named, so
 * keyboard users can scroll it (axe: scrollable-region-focusable).
 */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <pre className={styles.code} role="region" tabIndex={0} aria-label={label}>
      <code>{code}</code>
    </pre>
  );
}
