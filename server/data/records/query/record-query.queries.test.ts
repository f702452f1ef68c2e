import { describe, expect, it } from "vitest";

import { publishedSql } from "../published-records";
import { encodeCursor } from "./cursor";
import { parseRecordQuery } from "./parse-record-query";
import {
  buildRecordCountSql,
  buildRecordQuerySql,
  sortValues,
  toLikePattern,
  type RecordQueryRow,
} from "./record-query.queries";

const parse = (query: string) => parseRecordQuery(new URLSearchParams(query));
const DATASET = "0b8f3a52-5f6e-4f43-9d55-3b7f0f3c1a01";
const OWNER = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

// Every word the builder may write; anything else in the text would have come from the request.
// Every page and count skips the rows of imports still loading (published-records.ts).
const PUBLISHED = publishedSql("records");

const SQL_WORDS = new Set(
  (
    "select from where and or not as order by asc desc limit count bigint records id dataset_id " +
    "owner_id payload archived archived_at created_at updated_at datasetId ownerId archivedAt " +
    "createdAt updatedAt coalesce null jsonb jsonb_typeof number string to_jsonb collate C any " +
    "like ilike is true false text all import_loads import_id"
  )
    .toLowerCase()
    .split(" "),
);

const HOSTILE = [
  "'; DROP TABLE records; --",
  "x') OR 1=1 --",
  'a"b',
  "$$x$$",
  "union select password_hash from users",
];

/** The words of the SQL text, once parameters are taken out. */
function wordsOf(text: string): string[] {
  return text
    .replace(/\$\d+::[a-z]+(\[\])?/g, " ")
    .replace(/sort_\d+/g, " ")
    .split(/[^A-Za-z_]+/)
    .filter(Boolean);
}

describe("buildRecordQuerySql", () => {
  it("writes a plain page query over the scope", () => {
    const { text, values } = buildRecordQuerySql(parse("limit=10"), {
      datasetId: DATASET,
      ownerId: OWNER,
    });
    expect(text).toBe(
      [
        'SELECT id, dataset_id AS "datasetId", owner_id AS "ownerId", payload, archived,',
        '  archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"',
        "FROM records",
        "WHERE dataset_id = $1::uuid",
        "  AND owner_id = $2::uuid",
        "  AND NOT archived",
        `  AND ${PUBLISHED}`,
        "ORDER BY created_at DESC, id ASC",
        "LIMIT $3::bigint",
      ].join("\n"),
    );
    expect(values).toEqual([DATASET, OWNER, 11]);
  });

  it("never puts a value, pattern or path into the SQL text", () => {
    const encoded = HOSTILE.map(encodeURIComponent);
    const query = parse(
      [
        `payload.name=eq.${encoded[0]}`,
        `payload.name=neq.${encoded[1]}`,
        `payload.name=gt.${encoded[2]}`,
        "payload.score=lte.1234567",
        `payload.name=in.(${encoded[3]},"${encoded[4]}")`,
        `payload.meta=cs.${encodeURIComponent(JSON.stringify({ note: HOSTILE[0] }))}`,
        `payload.name=like.${encoded[1]}*`,
        `payload.name=not.ilike.*${encoded[4]}`,
        "payload.flag=is.true",
        "payload.gone=not.is.null",
        "order=payload.address.city.desc,updated_at.asc",
        "archived=all",
        "created_after=2024-01-01",
        "updated_before=2025-01-01T00:00:00Z",
      ].join("&"),
    );
    const cursor = ['"Z\'; drop"', "2024-05-01T10:00:00.000Z", OWNER];
    const { text, values } = buildRecordQuerySql({ ...query, cursor }, { datasetId: DATASET });
    for (const hostile of [...HOSTILE, "1234567", "address", "city", "note", "flag", "gone"]) {
      expect(text).not.toContain(hostile);
    }
    expect(text.replace(/'(null|number|string|true|false)'/g, "")).not.toContain("'");
    for (const word of wordsOf(text)) expect(SQL_WORDS).toContain(word.toLowerCase());
    expect(values).toContain(HOSTILE[0]);
    expect(values).toContainEqual([HOSTILE[3], HOSTILE[4]]);
    expect(values).toContain(JSON.stringify({ meta: { note: HOSTILE[0] } }));
    // One parameter per distinct path.
    expect(values.filter((value) => Array.isArray(value) && value[0] === "name")).toHaveLength(1);
  });

  it("compares numbers as jsonb under a type guard, and other bounds as bytewise strings", () => {
    const numeric = buildRecordQuerySql(parse("payload.n=gt.-1.5"), {});
    expect(numeric.text).toContain(
      "(jsonb_typeof(payload #> $1::text[]) = 'number' AND payload #> $1::text[] > to_jsonb($2::numeric))",
    );
    expect(numeric.values.slice(0, 2)).toEqual([["n"], "-1.5"]);
    const text = buildRecordQuerySql(parse("payload.at=gte.2024-05-01"), {});
    expect(text.text).toContain(
      `(jsonb_typeof(payload #> $1::text[]) = 'string' AND (payload #>> $1::text[]) COLLATE "C" >= $2::text)`,
    );
  });

  it("nests cs values along the path so the GIN index on payload serves them", () => {
    const { text, values } = buildRecordQuerySql(parse('payload.a.b=cs.{"c":[1]}'), {});
    expect(text).toContain("(payload @> $1::jsonb)");
    expect(values[0]).toBe('{"a":{"b":{"c":[1]}}}');
  });

  it("negates with NOT COALESCE so a missing field matches not.", () => {
    const { text } = buildRecordQuerySql(parse("payload.s=not.eq.done"), {});
    expect(text).toContain("NOT COALESCE((payload #>> $1::text[] = $2::text), false)");
  });

  it("expands the keyset into OR terms for mixed directions, with a first-key bound", () => {
    const query = parse("order=payload.score.desc,created_at.asc");
    const { text, values } = buildRecordQuerySql(
      { ...query, cursor: ["5", "2024-05-01T10:00:00.000Z", OWNER] },
      {},
    );
    const score = "COALESCE(payload #> $1::text[], 'null'::jsonb)";
    expect(text).toContain(
      `${score} <= $2::jsonb AND ((${score} < $2::jsonb) OR (${score} = $2::jsonb AND created_at > $3::timestamptz) OR (${score} = $2::jsonb AND created_at = $3::timestamptz AND id > $4::uuid))`,
    );
    expect(text).toContain(`${score}::text AS "sort_0"`);
    expect(text).toContain(`ORDER BY ${score} DESC, created_at ASC, id ASC`);
    expect(values).toEqual([["score"], "5", "2024-05-01T10:00:00.000Z", OWNER, 51]);
  });

  it("reads a row's sort values back for the next cursor", () => {
    const order = parse("order=payload.score.desc,updated_at").order;
    const row = {
      id: OWNER,
      createdAt: new Date("2024-01-01T00:00:00Z"),
      updatedAt: new Date("2024-02-01T00:00:00.5Z"),
      sort_0: "12.50",
    } as unknown as RecordQueryRow;
    const values = sortValues(row, order);
    expect(values).toEqual(["12.50", "2024-02-01T00:00:00.500Z", OWNER]);
    const cursor = encodeCursor(order, values);
    expect(parse(`order=payload.score.desc,updated_at&cursor=${cursor}`).cursor).toEqual(values);
  });
});

describe("buildRecordCountSql", () => {
  it("counts with the same filters and no cursor, order or limit", () => {
    const query = parse("payload.s=eq.x&order=payload.s&limit=5");
    const { text, values } = buildRecordCountSql({ ...query, cursor: ['"x"', OWNER] }, {});
    expect(text).toBe(
      `SELECT count(*)::bigint AS total FROM records\nWHERE NOT archived\n  AND (payload #>> $1::text[] = $2::text)\n  AND ${PUBLISHED}`,
    );
    expect(values).toEqual([["s"], "x"]);
  });
});

describe("toLikePattern", () => {
  it("makes * the only wildcard", () => {
    expect(toLikePattern("*50%_off*")).toBe("%50\\%\\_off%");
    expect(toLikePattern("a\\*")).toBe("a\\\\%");
  });
});
