import { describe, expect, it } from "vitest";

import { databaseBackends } from "../../../testing/backends";
import { useTestDatabase } from "../../../testing/test-database";
import { jsonbText } from "./jsonb-text";

const VALUES: unknown[] = [
  { b: 1, a: 2, aa: 3, é: 4, Z: 5, "": 6 },
  { n: [1e21, 1.5e-7, -2.5e25, 123.456, -0, 0.1 + 0.2, 1e-300, Number.MAX_SAFE_INTEGER] },
  { s: 'quote " backslash \\ tab \t newline \n cr \r ctrl \u0001 \u001f del \u007f ü 😀 \u2028' },
  { nested: { deep: [{ x: null, y: true, z: false }, [], {}] } },
];

describe.each(databaseBackends)("jsonbText on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  it("prints what PostgreSQL prints for the same value as jsonb", async () => {
    for (const value of VALUES) {
      const { rows } = await db().pool.query<{ text: string }>("select $1::jsonb::text as text", [
        JSON.stringify(value),
      ]);
      expect(jsonbText(value)).toBe(rows[0]!.text);
    }
  });
});
