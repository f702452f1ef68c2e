import type { QueryConfig } from "pg";

/**
 * How long past the statement timeout the client waits for an answer before it gives up on the
 * server (pg's `query_timeout`, set on the pool by database.ts). The statement timeout is
 * enforced by PostgreSQL, so a server that stops answering altogether (a network partition, a
 * frozen host) never sends it: without this backstop a query on an open connection waited
 * forever, and the request with it.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 5_000;

/**
 * `query` with the client's limit matched to a statement timeout the session changed: a margin
 * past `statementTimeoutMs`, or none at all for 0 (an index build that may take minutes).
 */
export function withQueryTimeout(
  query: QueryConfig,
  statementTimeoutMs: number,
): QueryConfig & { query_timeout: number } {
  // pg takes 0 for "the pool's"; the largest delay a timer can have is as good as none.
  const limit = statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : 2 ** 31 - 1;
  return { ...query, query_timeout: limit };
}
