import { AppError } from "../../../errors/app-error";
import { checkJsonText } from "./json-text";
import { type SortTerm } from "./record-query.schemas";
import { isUuid } from "../../../input/uuid";

// A cursor is base64url JSON: the order it was made for and the last row's sort values, one per
// term (timestamps as ISO 8601, the id as a uuid, payload keys as jsonb text, which keeps numbers
// exact). It is opaque to clients; only its shape is checked here, because its values go to the
// database as parameters like any other input.

type CursorBody = { o: string; v: string[] };

const MAX_CURSOR_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The order a cursor belongs to, e.g. `payload.score.desc,id.asc`. */
export function orderSignature(order: readonly SortTerm[]): string {
  return order
    .map((term) => {
      const key = term.kind === "column" ? term.column : `payload.${term.path.join(".")}`;
      return `${key}.${term.direction}`;
    })
    .join(",");
}

export function encodeCursor(order: readonly SortTerm[], values: readonly string[]): string {
  const body: CursorBody = { o: orderSignature(order), v: [...values] };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

function invalid(value: string, reason: string): AppError {
  return new AppError("bad_request", `Parameter "cursor" ${reason}.`, {
    parameter: "cursor",
    value,
    reason,
  });
}

function valueProblem(term: SortTerm, value: string): string | undefined {
  if (term.kind === "payload") {
    const check = checkJsonText(value);
    return check.ok ? undefined : check.reason;
  }
  if (term.column === "id") return isUuid(value) ? undefined : "is not a uuid";
  return ISO_MILLIS.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "is not a time";
}

/** The sort values in a cursor made for `order`; a 400 for anything else. */
export function decodeCursor(token: string, order: readonly SortTerm[]): string[] {
  if (token.length > MAX_CURSOR_LENGTH || !BASE64URL.test(token)) {
    throw invalid(token, "is not a cursor returned by this API");
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid(token, "is not a cursor returned by this API");
  }
  const { o, v } = (typeof body === "object" && body !== null ? body : {}) as Partial<CursorBody>;
  if (
    typeof o !== "string" ||
    !Array.isArray(v) ||
    !v.every((item): item is string => typeof item === "string")
  ) {
    throw invalid(token, "is not a cursor returned by this API");
  }
  if (o !== orderSignature(order)) {
    throw invalid(token, `was made for order "${o}", not this request's order`);
  }
  if (v.length !== order.length) throw invalid(token, "is not a cursor returned by this API");
  order.forEach((term, index) => {
    const problem = valueProblem(term, v[index] ?? "");
    if (problem) throw invalid(token, `holds a sort value that ${problem}`);
  });
  return v;
}
