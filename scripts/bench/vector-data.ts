// The vector bench's data: clustered pseudo-random 1536-d vectors from a seeded generator (the
// same figures every run), loaded with COPY in pgvector's text form.
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

import { VECTOR_DIMENSIONS } from "../../server/vectors/vectors.schemas";

/** A COPY with no client-side limit (pg reads `query_timeout` off the query), like its session. */
const unbounded = (sql: string) => Object.assign(copyFrom(sql), { query_timeout: 2 ** 31 - 1 });

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller). */
export function gaussian(seed: number): () => number {
  const next = uniform(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = next() || Number.MIN_VALUE;
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

export type ClusterSpace = {
  centres: number[][];
  /** A point around centre `c`, each component offset by N(0, spread²). */
  near(c: number, spread: number): number[];
};

/** `count` centres drawn from N(0, 1) per component, and a generator of points around them. */
export function clusterSpace(seed: number, count: number): ClusterSpace {
  const draw = gaussian(seed);
  const centres = Array.from({ length: count }, () =>
    Array.from({ length: VECTOR_DIMENSIONS }, () => draw()),
  );
  return {
    centres,
    near: (c, spread) => centres[c % count]!.map((value) => value + draw() * spread),
  };
}

const vectorText = (vector: readonly number[]) =>
  `[${vector.map((value) => value.toFixed(4)).join(",")}]`;

/**
 * `rows` records in one dataset, each with a TEXT embedding near cluster `i % clusters`: two
 * COPY FROM STDIN statements in one transaction (records, then their embeddings), streamed in
 * chunks so memory stays flat.
 */
export async function copyClusteredRecords(
  client: pg.ClientBase,
  options: {
    datasetId: string;
    ownerId: string;
    rows: number;
    space: ClusterSpace;
    spread: number;
    model: string;
  },
): Promise<void> {
  const ids = Array.from({ length: options.rows }, () => randomUUID());
  const clusters = options.space.centres.length;
  const now = new Date().toISOString();
  const chunk = 500;
  function* lines(line: (index: number) => string) {
    for (let start = 0; start < ids.length; start += chunk) {
      const end = Math.min(ids.length, start + chunk);
      let text = "";
      for (let index = start; index < end; index += 1) text += `${line(index)}\n`;
      yield text;
    }
  }
  await client.query("BEGIN");
  try {
    // The pool's 30 s statement timeout is for requests; a COPY of 600 MB of vectors takes longer.
    await client.query("SET LOCAL statement_timeout = 0");
    await pipeline(
      Readable.from(
        lines(
          (i) =>
            `${ids[i]}\t${options.datasetId}\t${options.ownerId}\t{"i":${i},"cluster":${i % clusters}}\t${now}\t${now}`,
        ),
      ),
      client.query(
        unbounded(
          "COPY records (id, dataset_id, owner_id, payload, created_at, updated_at) FROM STDIN",
        ),
      ),
    );
    await pipeline(
      Readable.from(
        lines(
          (i) =>
            `${ids[i]}\tTEXT\t${options.model}\t${vectorText(options.space.near(i, options.spread))}\t${now}\t${now}`,
        ),
      ),
      client.query(
        unbounded(
          "COPY record_embeddings (record_id, type, model, embedding, created_at, updated_at) FROM STDIN",
        ),
      ),
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}
