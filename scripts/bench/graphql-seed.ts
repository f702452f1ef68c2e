// bench:graphql's data: a few datasets whose records several owners wrote through the REST API,
// in small batches taken in turn, so a page of a dataset's newest records has several owners and
// resolving `owner` is real work, not one lookup.
import { randomBytes } from "node:crypto";

import { createApiKey } from "../../server/auth/api-keys/create-api-key";
import { loadPrincipal } from "../../server/auth/load-principal";
import { hashPassword } from "../../server/auth/passwords";
import { startDatabase } from "../../server/db/database";
import { benchPayload, lakeClient, type LakeClient } from "./seed";

/** Users who may read and write, each with an API key of their own. */
export async function createOwnerKeys(databaseUrl: string, count: number): Promise<string[]> {
  const db = await startDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    const role = await db.prisma.role.upsert({
      where: { name: "bench_owner" },
      create: { name: "bench_owner", permissions: ["read", "write"] },
      update: {},
    });
    const keys: string[] = [];
    for (let n = 1; n <= count; n++) {
      const user = await db.prisma.user.create({
        data: {
          email: `bench-owner-${n}@datapunk.local`,
          name: `Bench owner ${n}`,
          passwordHash: await hashPassword(randomBytes(12).toString("hex")),
          roles: { create: { roleId: role.id } },
        },
      });
      const principal = await loadPrincipal({ db, userId: user.id, via: "session" });
      const created = await createApiKey({
        db,
        principal,
        name: "bench:graphql",
        scopes: ["read", "write"],
        expiresInDays: 1,
      });
      keys.push(created.key);
    }
    return keys;
  } finally {
    await db.close();
  }
}

export type SeededData = { datasetIds: string[]; recordIds: string[] };

/**
 * `datasets` datasets (analytics policy: every reader sees every record) created by the first
 * writer, then `recordsPerDataset` records in each: every writer sends `batchSize` records to
 * each dataset in turn, the writers at the same time.
 */
export async function seedDatasetsOfManyOwners(options: {
  baseUrl: string;
  /** API keys of the writers; the first one creates the datasets. */
  keys: string[];
  datasets: number;
  recordsPerDataset: number;
  batchSize: number;
}): Promise<SeededData> {
  const writers = options.keys.map((key) => lakeClient(options.baseUrl, key));
  const creator: LakeClient = writers[0]!;
  const datasetIds: string[] = [];
  for (let n = 1; n <= options.datasets; n++) {
    const dataset = await creator<{ id: string }>("POST", "/api/v1/lake/datasets", {
      name: `bench-graphql-${n}`,
      policy: "analytics",
    });
    datasetIds.push(dataset.id);
  }
  const recordIds: string[] = [];
  const perRound = options.batchSize * writers.length;
  for (let start = 0; start < options.recordsPerDataset; start += perRound) {
    for (const datasetId of datasetIds) {
      const batches = await Promise.all(
        writers.map((writer, index) => {
          const from = start + index * options.batchSize;
          const size = Math.min(options.batchSize, options.recordsPerDataset - from);
          if (size <= 0) return Promise.resolve({ records: [] });
          return writer<{ records: { id: string }[] }>("POST", "/api/v1/lake/data", {
            dataset: datasetId,
            records: Array.from({ length: size }, (_, i) => benchPayload(from + i)),
          });
        }),
      );
      for (const batch of batches) recordIds.push(...batch.records.map((record) => record.id));
    }
  }
  return { datasetIds, recordIds };
}
