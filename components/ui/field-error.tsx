import styles from "./field.module.css";
import { ToneIcon } from "./tone-icon";

/** A field's error line; its id goes into the control's aria-describedby. */
export function FieldError({ id, children }: { id: string; children: string }) {
  return (
    <p id={id} className={styles.error}>
      <ToneIcon tone="danger" className={styles.errorIcon} />
      {children}
    </p>
  );
}

/** The ids that describe a control: its hint and its error, when present. */
export function describedBy(...ids: (string | null)[]): string | undefined {
  const present = ids.filter(Boolean);
  return present.length > 0 ? present.join(" ") : undefined;
}
