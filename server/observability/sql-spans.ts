import { context, SpanKind, trace, type Attributes, type Span } from "@opentelemetry/api";
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from "@opentelemetry/semantic-conventions";
import type pg from "pg";

import { failSpan, tracer } from "./tracer";

/** Statements are parameterized (values are never in the text); long ones are cut here. */
const MAX_QUERY_TEXT = 2048;

type QueryFunction = (...args: unknown[]) => unknown;

/**
 * A CLIENT span for every statement sent through `pool` (Prisma's and raw SQL alike: Prisma's
 * adapter uses the same pool), as a child of the request or job that sent it — and none for
 * statements sent outside one (the outbox relay, pollers), each of which would otherwise be a
 * trace of its own every few milliseconds. Set up on this pool's clients rather than by patching
 * `pg`, which cannot be patched in the bundled server (docs/decisions/0016-tracing.md).
 */
export function traceSql(pool: pg.Pool, connectionString: string): void {
  const attributes = serverAttributes(connectionString);
  pool.on("connect", (client) => traceClient(client, attributes));
  // pool.query() waits for a client through a callback that pg-pool calls from whichever query
  // released one, in that query's context: bound here to its own caller's (when it is recorded),
  // so the statement stays in the caller's trace.
  const connect = pool.connect.bind(pool) as (callback?: QueryFunction) => unknown;
  pool.connect = ((callback?: QueryFunction) =>
    callback && trace.getActiveSpan()?.isRecording()
      ? connect(context.bind(context.active(), callback))
      : connect(callback)) as unknown as typeof pool.connect;
}

function traceClient(client: pg.PoolClient, attributes: Attributes): void {
  // Called with the client as `this` (query.apply below), as pg itself would.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = client.query as unknown as QueryFunction;
  const traced = function (this: pg.PoolClient, ...args: unknown[]): unknown {
    const config = args[0];
    if (!trace.getActiveSpan()?.isRecording() || isSubmittable(config)) {
      return query.apply(this, args);
    }
    const text = typeof config === "string" ? config : ((config as { text?: string }).text ?? "");
    const span = startStatementSpan(text, attributes);
    const callback = args.at(-1);
    if (typeof callback === "function") {
      // pool.query() calls the client's query with a callback.
      args[args.length - 1] = (error: unknown, result: unknown) => {
        endStatementSpan(span, error);
        (callback as QueryFunction)(error, result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (!isThenable(result)) {
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        endStatementSpan(span);
        return value;
      },
      (error: unknown) => {
        endStatementSpan(span, error);
        throw error;
      },
    );
  };
  client.query = traced as unknown as typeof client.query;
}

/** Cursors and COPY streams run as long as their reader: no span, they are not one statement. */
function isSubmittable(config: unknown): boolean {
  return (
    typeof config === "object" &&
    config !== null &&
    typeof (config as { submit?: unknown }).submit === "function"
  );
}

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

const FIRST_WORD = /^\s*(\w+)/;
// A table, maybe schema-qualified and quoted (Prisma quotes both); read from, not a function
// (`FROM unnest(`).
const TABLE = String.raw`(?:"?\w+"?\.)?"?(\w+)\b"?`;
const WRITE = new RegExp(String.raw`\b(insert\s+into|update|delete\s+from)\s+${TABLE}`, "i");
const READ = new RegExp(String.raw`\bfrom\s+${TABLE}(?!\s*\()`, "i");

/**
 * OTel's query summary, from the text: `SELECT records`, `INSERT stream_events` — the write a
 * statement does (CTEs included), else the first table it reads, else its first word (`BEGIN`).
 */
function summaryOf(text: string): { operation?: string; summary: string } {
  const first = FIRST_WORD.exec(text)?.[1]?.toUpperCase();
  if (!first) return { summary: "postgresql" };
  if (["WITH", "INSERT", "UPDATE", "DELETE"].includes(first)) {
    const write = WRITE.exec(text);
    if (write) {
      const operation = write[1]!.split(/\s/)[0]!.toUpperCase();
      return { operation, summary: `${operation} ${write[2]}` };
    }
  }
  const operation = first === "WITH" ? "SELECT" : first;
  const read = operation === "SELECT" ? READ.exec(text)?.[1] : undefined;
  return { operation, summary: read ? `${operation} ${read}` : operation };
}

function startStatementSpan(text: string, attributes: Attributes): Span {
  const { operation, summary } = summaryOf(text);
  return tracer.startSpan(summary, {
    kind: SpanKind.CLIENT,
    attributes: {
      ...attributes,
      ...(operation ? { [ATTR_DB_OPERATION_NAME]: operation } : {}),
      [ATTR_DB_QUERY_SUMMARY]: summary,
      [ATTR_DB_QUERY_TEXT]: text.length > MAX_QUERY_TEXT ? text.slice(0, MAX_QUERY_TEXT) : text,
    },
  });
}

function endStatementSpan(span: Span, error?: unknown): void {
  if (error) {
    failSpan(span, error);
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === "string") span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, sqlState);
  }
  span.end();
}

function serverAttributes(connectionString: string): Attributes {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  try {
    const url = new URL(connectionString);
    attributes[ATTR_SERVER_ADDRESS] = url.hostname;
    attributes[ATTR_SERVER_PORT] = Number(url.port || 5432);
    const database = decodeURIComponent(url.pathname.slice(1));
    if (database) attributes[ATTR_DB_NAMESPACE] = database;
  } catch {
    // Not a URL (a socket path): the system name alone.
  }
  return attributes;
}
