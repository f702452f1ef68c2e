import { type RowBatches } from "./source-row";

/**
 * What a source thread's rows were when it last handed a batch on, kept in memory the main thread
 * shares with it: a thread that runs out of memory cannot say why, but this survives it, so the
 * failure can blame one row only when that row really was large (transformed-source.ts).
 */
export type RowsHeld = {
  /** The longest row among those the thread held (the current and the previous batch). */
  longestChars: number;
  longestLine: number;
  /** The last line parsed. */
  lastLine: number;
};

// [current batch's longest, its line, previous batch's longest, its line, last line]
const SLOTS = 5;

export const createRowsHeld = () => new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT);

export function readRowsHeld(buffer: SharedArrayBuffer): RowsHeld {
  const [chars = 0, line = 0, previousChars = 0, previousLine = 0, lastLine = 0] = new Float64Array(
    buffer,
  );
  return chars >= previousChars
    ? { longestChars: chars, longestLine: line, lastLine }
    : { longestChars: previousChars, longestLine: previousLine, lastLine };
}

/**
 * The parser's batches, unchanged, noting each row's length on the way (the thread's side).
 * `batchDone` starts a new window when a transformed batch has been handed on; the previous one
 * is kept, since rows read ahead for the next batch were noted in it.
 */
export function watchRows(buffer: SharedArrayBuffer, batches: RowBatches) {
  const held = new Float64Array(buffer);
  async function* watched(): RowBatches {
    for await (const batch of batches) {
      for (const row of batch.rows) {
        const chars = "chars" in row ? row.chars : 0;
        if (chars > held[0]!) {
          held[0] = chars;
          held[1] = row.line;
        }
      }
      held[4] = batch.rows.at(-1)?.line ?? held[4]!;
      yield batch;
    }
  }
  return {
    batches: watched(),
    batchDone() {
      held[2] = held[0]!;
      held[3] = held[1]!;
      held[0] = 0;
      held[1] = 0;
    },
  };
}
