// PostgreSQL's jsonb rejects some JSON that JavaScript accepts (NUL characters, lone surrogates,
// numbers beyond its range). Checking here turns those into a 400 naming the parameter instead of
// a database error.

const UNSTORABLE_CHARACTER =
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL could not store this text, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  return UNSTORABLE_CHARACTER.test(text)
    ? "contains a NUL character or an unpaired surrogate"
    : undefined;
}

function unstorableValueReason(value: unknown, depth: number): string | undefined {
  if (depth > 64) return "is nested too deeply";
  if (typeof value === "string") return unstorableTextReason(value);
  if (typeof value === "number")
    return Number.isFinite(value) ? undefined : "has a number out of range";
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unstorableValueReason(item, depth + 1);
      if (reason) return reason;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const reason = unstorableTextReason(key) ?? unstorableValueReason(item, depth + 1);
      if (reason) return reason;
    }
  }
  return undefined;
}

/**
 * Checks that `text` is JSON that jsonb accepts. The text itself (not a re-serialization) is what
 * goes to the database, so numbers keep their exact digits.
 */
export function checkJsonText(text: string): { ok: true } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "is not valid JSON" };
  }
  const reason = unstorableValueReason(value, 0);
  return reason ? { ok: false, reason } : { ok: true };
}
