// The bench's input: a CSV of typed columns, deterministic so runs are comparable, written in
// batches with backpressure so generating 100 MB does not hold it in memory.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export const CSV_HEADER = "id,sku,customer,qty,price,active,created_at,category,note";

const CATEGORIES = ["electronics", "garden", "books", "kitchen", "toys", "sports", "music"];
const WORDS = ["lorem", "ipsum", "dolor", "sit", "amet", "tempor", "magna", "velit", "esse"];
const START = Date.UTC(2026, 0, 1);

/** The n-th row (1-based): about 100 bytes with the newline. */
export function csvRow(n: number): string {
  const note = `${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]} ${WORDS[(n * 13) % WORDS.length]}`;
  return [
    n,
    `SKU-${n.toString(36).padStart(6, "0")}`,
    `customer-${(n % 99_991).toString().padStart(7, "0")}`,
    n % 500,
    (((n * 7919) % 1_000_000) / 100).toFixed(2),
    n % 3 === 0 ? "false" : "true",
    new Date(START + n * 1_000).toISOString(),
    CATEGORIES[n % CATEGORIES.length],
    note,
  ].join(",");
}

/** The JSON Schema of the Lake's dataset: the CSV's text becomes these types when loaded. */
export const CSV_SCHEMA = {
  type: "object",
  required: ["id", "sku"],
  properties: {
    id: { type: "integer" },
    sku: { type: "string" },
    customer: { type: "string" },
    qty: { type: "integer" },
    price: { type: "number" },
    active: { type: "boolean" },
    created_at: { type: "string", format: "date-time" },
    category: { type: "string" },
    note: { type: "string" },
  },
};

/** The same columns as a PostgreSQL table, for the `\copy` baseline. */
export const CSV_TABLE_COLUMNS = `id bigint, sku text, customer text, qty integer, price numeric(12,2),
  active boolean, created_at timestamptz, category text, note text`;

export async function writeCsv(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${CSV_HEADER}\n`);
  const batch: string[] = [];
  for (let n = 1; n <= rows; n++) {
    batch.push(csvRow(n));
    if (batch.length === 10_000 || n === rows) {
      await write(`${batch.join("\n")}\n`);
      batch.length = 0;
    }
  }
  out.end();
  await once(out, "finish");
  return bytes;
}
