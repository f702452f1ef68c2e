import { describe, expect, it } from "vitest";

import { databaseBackends } from "../testing/backends";
import { useTestDatabase } from "../testing/test-database";
import { toAppError } from "./to-app-error";

/** What PostgreSQL answers to `sql`, mapped as a door would map it. */
const mapped = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return toAppError(error);
  }
  throw new Error("the statement succeeded");
};

describe.each(databaseBackends)("values PostgreSQL refuses, on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);

  it.each([
    ["a malformed UUID", "select 'not-a-uuid'::uuid", []],
    ["a NUL in jsonb", "select $1::jsonb", ['"a\\u0000b"']],
    ["a number beyond numeric", "select '1e-16384'::numeric", []],
    ["a lone surrogate in jsonb", "select $1::jsonb", ['"\\ud800"']],
  ])("%s is the request's fault: 400, not 500", async (_name, sql, values) => {
    expect((await mapped(() => db().pool.query(sql, values))).status).toBe(400);
    expect((await mapped(() => db().prisma.$queryRawUnsafe(sql, ...values))).status).toBe(400);
  });

  it("a write whose referent was deleted meanwhile is a 409, not a 500 (pg and Prisma)", async () => {
    const orphan = {
      name: `orphan-${crypto.randomUUID()}`,
      ownerId: crypto.randomUUID(),
    };
    const viaPrisma = await mapped(() => db().prisma.dataset.create({ data: orphan }));
    expect(viaPrisma.status).toBe(409);
    const viaPool = await mapped(() =>
      db().pool.query(
        "insert into datasets (id, name, owner_id, updated_at) values ($1, $2, $3, now())",
        [crypto.randomUUID(), orphan.name, orphan.ownerId],
      ),
    );
    expect(viaPool.status).toBe(409);
  });
});
