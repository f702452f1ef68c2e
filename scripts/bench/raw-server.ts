// The baseline: node:http + pg.Pool answering the bench's three requests with the SQL the Lake
// runs for them, and nothing else — no auth, validation, rate limit, cache or audit. The Lake's
// req/s over this server's is the figure. Run as a child: `raw-server.ts '<RawServerConfig json>'`;
// prints `listening <port>`.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

import pg from "pg";

import { parseRecordQuery } from "../../server/data/records/query/parse-record-query";
import { buildRecordQuerySql } from "../../server/data/records/query/record-query.queries";

export type RawServerConfig = {
  databaseUrl: string;
  poolSize: number;
  datasetId: string;
  /** Owner of the records it creates (the Lake uses the caller's user id). */
  ownerId: string;
  /** The list request's query string, e.g. `dataset=<id>&payload.status=eq.active&limit=50`. */
  listQuery: string;
};

// The columns of a record view, as record-query.queries.ts selects them.
const RECORD_COLUMNS = `id, dataset_id AS "datasetId", owner_id AS "ownerId", payload, archived,
  archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;
const GET_BY_ID = `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1::uuid LIMIT 1`;
// Prisma generates the id and sets updated_at (@updatedAt) itself; so does this.
const INSERT = `INSERT INTO records (id, dataset_id, owner_id, payload, updated_at)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::jsonb, now())
RETURNING ${RECORD_COLUMNS}`;
const DATA_PATH = "/api/v1/lake/data";

const config = JSON.parse(process.argv[2] ?? "") as RawServerConfig;
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize });
// Built once with the Lake's own parser and builder: literally the statement the Lake sends.
const listQuery = parseRecordQuery(new URLSearchParams(config.listQuery));
const listSql = buildRecordQuerySql(listQuery, { datasetId: config.datasetId });

function send(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
  });
  res.end(json);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function answer(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://raw");
  if (req.method === "GET" && url.pathname.startsWith(`${DATA_PATH}/`)) {
    const id = url.pathname.slice(DATA_PATH.length + 1);
    const { rows } = await pool.query(GET_BY_ID, [id]);
    return rows[0] ? send(res, 200, rows[0]) : send(res, 404, { error_code: "not_found" });
  }
  if (req.method === "GET" && url.pathname === DATA_PATH) {
    if (url.search.slice(1) !== config.listQuery) return send(res, 400, { error: "unknown list" });
    const { rows } = await pool.query(listSql);
    return send(res, 200, { items: rows.slice(0, listQuery.limit), next_cursor: null });
  }
  if (req.method === "POST" && url.pathname === DATA_PATH) {
    const body = JSON.parse(await readBody(req)) as { dataset: string; payload: unknown };
    const { rows } = await pool.query(INSERT, [
      randomUUID(),
      body.dataset,
      config.ownerId,
      JSON.stringify(body.payload),
    ]);
    return send(res, 201, rows[0]);
  }
  send(res, 404, { error_code: "not_found" });
}

const server = createServer((req, res) => {
  answer(req, res).catch((error: unknown) => {
    console.error(error);
    send(res, 500, { error_code: "internal_error" });
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
