// A hostile upload: ~20 MB of gzip that inflate to ~10 GB of CSV, every row of which is rejected
// (three fields under a two-column header), so validation also fills the error report. Written as
// many gzip members of one compressed block (gunzip reads concatenated members as one stream):
// making it takes a second, where deflating 10 GB would take minutes.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { gzipSync } from "node:zlib";

const ROW = "n000000,0,1\n";
const BLOCK_ROWS = 1_000_000;

/** Writes the bomb; resolves with its size and what it inflates to, in bytes. */
export async function writeGzipBomb(
  file: string,
  inflatedBytes: number,
): Promise<{ bytes: number; inflated: number }> {
  const block = Buffer.from(ROW.repeat(BLOCK_ROWS));
  const member = gzipSync(block, { level: 9 });
  const header = gzipSync("name,score\n");
  const members = Math.ceil(inflatedBytes / block.length);
  const out = createWriteStream(file);
  out.write(header);
  for (let i = 0; i < members; i++) {
    if (!out.write(member)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { bytes: out.bytesWritten, inflated: 11 + members * block.length };
}
