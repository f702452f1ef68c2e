import { type RecordView } from "../records.schemas";
import {
  RECORD_FIELDS,
  type PayloadPath,
  type RecordQueryItem,
  type RecordSelection,
} from "./record-query.schemas";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Own properties only, defined rather than assigned: a payload key such as `__proto__` is data,
// never a way to reach or replace a prototype.
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function valueAt(payload: JsonObject, path: PayloadPath): unknown {
  let value: unknown = payload;
  for (const segment of path) {
    if (!isObject(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

/** The selected paths of a payload, nested as in the record; missing paths are left out. */
export function pickPayloadPaths(payload: JsonObject, paths: readonly PayloadPath[]): JsonObject {
  const picked: JsonObject = {};
  const taken = new Set<string>();
  // Shorter first: once `a` is taken whole, `a.b` adds nothing.
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    if (path.some((_, index) => taken.has(path.slice(0, index + 1).join(".")))) continue;
    const value = valueAt(payload, path);
    if (value === undefined) continue;
    taken.add(path.join("."));
    let target = picked;
    for (const segment of path.slice(0, -1)) {
      const next = Object.hasOwn(target, segment) ? target[segment] : undefined;
      if (isObject(next)) target = next;
      else {
        const created: JsonObject = {};
        setOwn(target, segment, created);
        target = created;
      }
    }
    setOwn(target, path.at(-1)!, value);
  }
  return picked;
}

/** A record narrowed to `select` (all of it without one). */
export function projectRecord(view: RecordView, selection?: RecordSelection): RecordQueryItem {
  if (!selection) return view;
  const item: RecordQueryItem = {};
  for (const field of RECORD_FIELDS) {
    if (field === "payload") {
      if (selection.payload === "all") item.payload = view.payload;
      else if (selection.payload !== "none") {
        item.payload = pickPayloadPaths(view.payload, selection.payload);
      }
    } else if (selection.fields.includes(field)) {
      Object.assign(item, { [field]: view[field] });
    }
  }
  return item;
}
