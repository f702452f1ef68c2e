import { hash } from "node:crypto";

const MAX_DEPTH = 100;

/** A JSON number as PostgreSQL's numeric prints it: never in exponent form. */
function numericText(value: number): string {
  if (!Number.isFinite(value)) throw new Error("is not a finite number");
  const text = JSON.stringify(value);
  if (!text.includes("e")) return text;
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = "", exponentText] = match;
  const exponent = Number(exponentText);
  const digits = whole! + fraction;
  const point = whole!.length + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** UTF-8 byte order, which is code point order (UTF-16 code units differ above U+D7FF). */
function byCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

// jsonb orders an object's keys by length, then bytewise (UTF-8).
const byJsonbKeyOrder = (a: string, b: string) =>
  Buffer.byteLength(a) - Buffer.byteLength(b) || byCodePoints(a, b);

/** An object's keys in jsonb's order, each with its JSON text (written once per key list). */
type SortedKeys = { keys: string[]; quoted: string[] };

/**
 * The rows of one import mostly share their keys: each key list is sorted, and its keys quoted,
 * once. The cache key prefixes every key with its length, so no two lists share one.
 */
const sortedKeyLists = new Map<string, SortedKeys>();
const MAX_KEY_LISTS = 1024;

function inJsonbOrder(keys: string[]): SortedKeys {
  let signature = "";
  for (const key of keys) signature += `${key.length}:${key}`;
  let sorted = sortedKeyLists.get(signature);
  if (!sorted) {
    const ordered = [...keys].sort(byJsonbKeyOrder);
    sorted = { keys: ordered, quoted: ordered.map((key) => JSON.stringify(key)) };
    if (sortedKeyLists.size >= MAX_KEY_LISTS) sortedKeyLists.clear();
    sortedKeyLists.set(signature, sorted);
  }
  return sorted;
}

/**
 * The text PostgreSQL prints for `value::jsonb` — sorted keys, `": "` and `", "` separators,
 * plain-decimal numbers — so a checksum computed here before loading can be compared with one
 * computed by SQL over what was stored. It is also valid JSON, and what the loader sends.
 */
export function jsonbText(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error(`nests deeper than ${MAX_DEPTH} levels`);
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return numericText(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((item) => jsonbText(item ?? null, depth + 1)).join(", ")}]`;
      }
      const object = value as Record<string, unknown>;
      const { keys, quoted } = inJsonbOrder(
        Object.keys(object).filter((key) => object[key] !== undefined),
      );
      let text = "{";
      for (let i = 0; i < keys.length; i++) {
        text += `${i === 0 ? "" : ", "}${quoted[i]!}: ${jsonbText(object[keys[i]!], depth + 1)}`;
      }
      return `${text}}`;
    }
    default:
      throw new Error(`holds a ${typeof value}, which JSON cannot carry`);
  }
}

/**
 * One row's share of the import checksum: the first 60 bits of md5("<line>:<jsonb text>"). The
 * sum over all rows is order-independent, so it can be accumulated batch by batch here and
 * recomputed in one aggregate by SQL (`rowChecksumSql` in imports.queries.ts).
 */
export function rowChecksum(line: number, text: string): bigint {
  // One-shot: no Hash object per row (a million rows' worth was ~8 % of an import's transform).
  const hex = hash("md5", `${line}:${text}`, "hex");
  return BigInt(`0x${hex.slice(0, 15)}`);
}
