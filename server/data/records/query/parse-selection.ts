import { parsePayloadPath, queryParameterError } from "./query-parameter-error";
import {
  RECORD_FIELDS,
  type PayloadPath,
  type RecordField,
  type RecordSelection,
} from "./record-query.schemas";

const MAX_SELECT_ITEMS = 64;

/** `select=<field>|payload|payload.<path>,…`: record fields and payload paths to return. */
export function parseSelection(value: string): RecordSelection {
  const items = value.split(",");
  if (items.length > MAX_SELECT_ITEMS) {
    throw queryParameterError("select", value, `has more than ${MAX_SELECT_ITEMS} fields`);
  }
  const fields = new Set<Exclude<RecordField, "payload">>();
  let wholePayload = false;
  const paths = new Map<string, PayloadPath>();
  for (const item of items) {
    if (item === "payload") wholePayload = true;
    else if (item.startsWith("payload.")) {
      paths.set(item, parsePayloadPath(item.slice(8), "select", value));
    } else if ((RECORD_FIELDS as readonly string[]).includes(item)) {
      fields.add(item as Exclude<RecordField, "payload">);
    } else {
      throw queryParameterError(
        "select",
        value,
        item === ""
          ? "has an empty field"
          : `has an unknown field "${item}" (expected ${RECORD_FIELDS.join(", ")} or payload.<path>)`,
      );
    }
  }
  return {
    fields: [...fields],
    payload: wholePayload ? "all" : paths.size > 0 ? [...paths.values()] : "none",
  };
}
