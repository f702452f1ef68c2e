/** `active`: under way (running, building) — set apart from the grey of pending or skipped. */
export type Tone = "success" | "warning" | "danger" | "neutral" | "active";

/** A different shape per tone, so status never relies on colour alone. */
export function ToneIcon({ tone, className }: { tone: Tone; className?: string }) {
  return (
    <svg
      className={className}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {tone === "warning" ? (
        <>
          <path d="M8 2.25 14.25 13.5H1.75z" />
          <path d="M8 6.75v2.75M8 11.5v.01" />
        </>
      ) : (
        <>
          <circle cx="8" cy="8" r="6.25" />
          {tone === "success" && <path d="m5.4 8.2 1.8 1.8 3.4-3.7" />}
          {tone === "danger" && <path d="m6 6 4 4M10 6l-4 4" />}
          {tone === "neutral" && <path d="M5.5 8h5" />}
          {tone === "active" && <path d="M8 1.75a6.25 6.25 0 0 1 0 12.5z" fill="currentColor" />}
        </>
      )}
    </svg>
  );
}
