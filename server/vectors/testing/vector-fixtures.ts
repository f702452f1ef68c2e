import { randomUUID } from "node:crypto";

import { type Database } from "../../db/client";
import { type VectorType } from "../../db/generated/enums";
import { writeEmbeddings } from "../embeddings/write-embeddings";
import { VECTOR_DIMENSIONS } from "../vectors.schemas";

// Test data for the vector suites: deterministic pseudo-random vectors around cluster centres,
// which is how real embeddings are distributed (and what makes ivfflat lists meaningful).

/** A deterministic generator in [-0.5, 0.5) (an LCG: fast, and the same on every machine). */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

export function randomVector(random: () => number): number[] {
  return Array.from({ length: VECTOR_DIMENSIONS }, () => random());
}

/** `count` centres and a function giving a point near centre `c`. */
export function clusters(seed: number, count: number, spread = 0.3) {
  const random = randomSource(seed);
  const centres = Array.from({ length: count }, () => randomVector(random));
  return {
    centres,
    near: (c: number) => centres[c % count]!.map((value) => value + random() * spread),
  };
}

/** A unit vector along one axis: cosine distance 0 to itself, 1 to the other axes. */
export function axis(index: number, scale = 1): number[] {
  const vector = new Array<number>(VECTOR_DIMENSIONS).fill(0);
  vector[index] = scale;
  return vector;
}

/**
 * Inserts records (in a dataset owned by `ownerId`) each with an embedding of `type`, straight
 * through the import entry point, in chunks: fast enough for thousands of 1536-d vectors.
 */
export async function seedEmbeddedRecords(
  db: Database,
  options: {
    datasetId: string;
    ownerId: string;
    type?: VectorType;
    items: { payload: Record<string, unknown>; vector: number[] }[];
  },
): Promise<string[]> {
  const ids = options.items.map(() => randomUUID());
  const chunk = 200;
  for (let start = 0; start < ids.length; start += chunk) {
    const slice = options.items.slice(start, start + chunk);
    const sliceIds = ids.slice(start, start + chunk);
    await db.prisma.$transaction(
      async (tx) => {
        await tx.record.createMany({
          data: slice.map((item, index) => ({
            id: sliceIds[index],
            datasetId: options.datasetId,
            ownerId: options.ownerId,
            payload: item.payload as never,
          })),
        });
        await writeEmbeddings(
          { prisma: tx },
          slice.map((item, index) => ({
            recordId: sliceIds[index]!,
            type: options.type ?? "TEXT",
            model: "test/clustered",
            vector: item.vector,
          })),
        );
      },
      { timeout: 60_000 },
    );
  }
  return ids;
}
