import { fitsPgNumeric } from "../../../input/storable-input";
import { checkJsonText } from "./json-text";
import { parsePayloadPath, queryParameterError } from "./query-parameter-error";
import { type PayloadCondition, type PayloadFilter } from "./record-query.schemas";

const OPERATORS = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "cs", "like", "ilike", "is"];
const OPERATOR_LIST = "eq, neq, gt, gte, lt, lte, in, cs, like, ilike or is, optionally after not.";
// What PostgreSQL's numeric input accepts, minus NaN and Infinity.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_IN_ITEMS = 500;

/** `payload.<path>=[not.]<op>.<value>`; `key` is the parameter's name, `value` its value. */
export function parsePayloadFilter(key: string, value: string): PayloadFilter {
  const path = parsePayloadPath(key.slice("payload.".length), key, value);
  const negate = value.startsWith("not.");
  const expression = negate ? value.slice("not.".length) : value;
  const dot = expression.indexOf(".");
  const op = dot < 0 ? expression : expression.slice(0, dot);
  if (!OPERATORS.includes(op)) {
    throw queryParameterError(
      key,
      value,
      op === "" || dot < 0
        ? `needs <operator>.<value> (operators: ${OPERATOR_LIST})`
        : `has an unknown operator "${op}" (expected ${OPERATOR_LIST})`,
    );
  }
  if (dot < 0) throw queryParameterError(key, value, `needs a value after "${op}."`);
  return { path, negate, condition: parseCondition(op, expression.slice(dot + 1), key, value) };
}

function parseCondition(op: string, operand: string, key: string, value: string): PayloadCondition {
  switch (op) {
    case "eq":
    case "neq":
      return { op, value: operand };
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return {
        op,
        value: operand,
        // A literal beyond numeric's range compares as text, as NaN and Infinity do.
        numeric: NUMBER.test(operand) && Number.isFinite(Number(operand)) && fitsPgNumeric(operand),
      };
    case "in": {
      const values = parseInList(operand, key, value);
      if (values.length > MAX_IN_ITEMS) {
        throw queryParameterError(key, value, `has more than ${MAX_IN_ITEMS} items in its in list`);
      }
      return { op, values };
    }
    case "cs": {
      const check = checkJsonText(operand);
      if (!check.ok) {
        throw queryParameterError(
          key,
          value,
          `has a cs value that ${check.reason} (cs takes JSON: cs."text", cs.5, cs.["a"], cs.{"k":1})`,
        );
      }
      return { op, json: operand };
    }
    case "like":
    case "ilike":
      return { op, pattern: operand };
    default:
      if (operand !== "null" && operand !== "true" && operand !== "false") {
        throw queryParameterError(
          key,
          value,
          `has "is.${operand}"; expected is.null, is.true or is.false`,
        );
      }
      return { op: "is", value: operand };
  }
}

/**
 * `(a,b,"c,d")`: items split on commas; a double-quoted item may hold commas, and `\"` or `\\`
 * for a quote or a backslash. `()` is the empty list.
 */
function parseInList(text: string, key: string, value: string): string[] {
  const fail = (reason: string) => queryParameterError(key, value, `has an in list that ${reason}`);
  if (text.length < 2 || !text.startsWith("(") || !text.endsWith(")")) {
    throw fail('is not in parentheses, e.g. in.(a,b,"c,d")');
  }
  const inner = text.slice(1, -1);
  const items: string[] = [];
  if (inner === "") return items;
  let position = 0;
  for (;;) {
    let item = "";
    if (inner[position] === '"') {
      position += 1;
      let closed = false;
      while (position < inner.length && !closed) {
        const char = inner[position];
        if (char === "\\") {
          const escaped = inner[position + 1];
          if (escaped === undefined) throw fail("ends inside a quoted item");
          item += escaped;
          position += 2;
        } else {
          if (char === '"') closed = true;
          else item += char;
          position += 1;
        }
      }
      if (!closed) throw fail("has an unterminated quoted item");
      if (position < inner.length && inner[position] !== ",") {
        throw fail(`has text after the quoted item "${item}"`);
      }
    } else {
      const end = inner.indexOf(",", position);
      item = inner.slice(position, end < 0 ? inner.length : end);
      if (item.includes('"')) throw fail(`has a quote inside the unquoted item ${item}`);
      position += item.length;
    }
    items.push(item);
    if (position >= inner.length) return items;
    position += 1; // the comma
    if (position === inner.length) {
      items.push(""); // `(a,)`: a trailing comma ends with an empty item
      return items;
    }
  }
}
