const dateTimeFormat = new Intl.DateTimeFormat("en", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const fullFormat = new Intl.DateTimeFormat("en", { dateStyle: "full", timeStyle: "long" });

/**
 * A timestamp from the API (an ISO string) in the reader's time zone, the full form on hover;
 * `fallback` when there is none.
 */
export function DateTime({
  value,
  fallback = "—",
  dateOnly = false,
}: {
  value: string | Date | null | undefined;
  fallback?: string;
  /** For coarse facts such as a creation or expiry day. */
  dateOnly?: boolean;
}) {
  if (!value) return <>{fallback}</>;
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} title={fullFormat.format(date)}>
      {(dateOnly ? dateFormat : dateTimeFormat).format(date)}
    </time>
  );
}

export function formatDateTime(value: string | Date): string {
  return dateTimeFormat.format(new Date(value));
}
