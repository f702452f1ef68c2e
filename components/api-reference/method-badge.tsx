import styles from "./method-badge.module.css";

// Tones by what a method does, not by convention colours: reads are safe, writes change data,
// deletes destroy it. The text says the method, so colour is never the only cue.
const METHOD_TONES: Record<string, string> = {
  get: "success",
  post: "warning",
  put: "warning",
  patch: "warning",
  delete: "danger",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className={styles.label} data-tone={METHOD_TONES[method] ?? "neutral"}>
      {method.toUpperCase()}
    </span>
  );
}

/** An HTTP status, toned by its class (2xx, 3xx, 4xx, 5xx). */
export function StatusCode({ status }: { status: string }) {
  const tone = status.startsWith("2")
    ? "success"
    : status.startsWith("4")
      ? "warning"
      : status.startsWith("5")
        ? "danger"
        : "neutral";
  return (
    <span className={styles.label} data-tone={tone} data-kind="status">
      {status}
    </span>
  );
}
