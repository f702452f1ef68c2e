/** One payload field as people read it: its name and a short text of its value. */
export type SummaryField = { key: string; value: string };

export type PayloadSummary = { fields: SummaryField[]; more: number };

const count = new Intl.NumberFormat("en");

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A value in words: text as it is, numbers grouped, lists and objects by what they hold. */
export function describeValue(value: unknown, max: number): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return clip(value, max) || "(empty)";
  if (typeof value === "number") return count.format(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    const simple = value.every((item) => ["string", "number", "boolean"].includes(typeof item));
    if (simple && value.length > 0) return clip(value.map(String).join(", "), max);
    return value.length === 1 ? "1 item" : `${count.format(value.length)} items`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length === 0 ? "{}" : clip(`{ ${keys.join(", ")} }`, max);
  }
  // bigint, symbol, function: not in JSON, so not in a payload; said as JSON would not.
  return typeof value;
}

/**
 * The first fields of a payload, naming fields (title, name…) first, each clipped to `maxChars`,
 * instead of a line of raw JSON cut off mid-key; `more` counts the fields left out.
 */
export function summarizePayload(
  payload: Record<string, unknown>,
  { maxFields = 4, maxChars = 80 }: { maxFields?: number; maxChars?: number } = {},
): PayloadSummary {
  const naming = ["title", "name", "label"];
  const keys = Object.keys(payload).sort(
    (a, b) =>
      (naming.includes(a) ? naming.indexOf(a) : naming.length) -
      (naming.includes(b) ? naming.indexOf(b) : naming.length),
  );
  const fields = keys
    .slice(0, maxFields)
    .map((key) => ({ key, value: describeValue(payload[key], maxChars) }));
  return { fields, more: Math.max(0, keys.length - maxFields) };
}
