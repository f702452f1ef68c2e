// The bench's data, made the way API consumers make it: an API key (created with the Lake's own
// service, as the console would), then a dataset and its records through the REST API.
import { createApiKey } from "../../server/auth/api-keys/create-api-key";
import { loadPrincipal } from "../../server/auth/load-principal";
import { startDatabase } from "../../server/db/database";

export const STATUSES = ["active", "pending", "shipped", "cancelled", "refunded"] as const;
const TAGS = ["red", "green", "blue", "priority", "gift", "bulk"];

/** The n-th seeded payload: statuses in turn, so exactly a fifth of the records are "active". */
export function benchPayload(n: number) {
  return {
    status: STATUSES[n % STATUSES.length],
    amount: Math.round(((n * 7919) % 100_000) + 99) / 100,
    name: `customer-${n.toString(36).padStart(5, "0")}`,
    tags: [TAGS[n % TAGS.length], TAGS[(n * 5 + 1) % TAGS.length]],
  };
}

/** An API key with read and write for the admin, created in-process on the bench database. */
export async function createBenchApiKey(options: {
  databaseUrl: string;
  adminEmail: string;
}): Promise<{ key: string; ownerId: string }> {
  const db = await startDatabase({ url: options.databaseUrl, poolSize: 2 });
  try {
    const admin = await db.prisma.user.findUniqueOrThrow({
      where: { email: options.adminEmail.toLowerCase() },
      select: { id: true },
    });
    const principal = await loadPrincipal({ db, userId: admin.id, via: "session" });
    const { key } = await createApiKey({
      db,
      principal,
      name: "bench:rest",
      scopes: ["read", "write"],
      expiresInDays: 1,
    });
    return { key, ownerId: admin.id };
  } finally {
    await db.close();
  }
}

export type LakeClient = ReturnType<typeof lakeClient>;

export function lakeClient(baseUrl: string, apiKey: string) {
  return async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}

/** Creates a dataset (analytics policy) and `count` records in batches; returns their ids. */
export async function seedThroughApi(options: {
  lake: LakeClient;
  datasetName: string;
  count: number;
  batchSize: number;
}): Promise<{ datasetId: string; recordIds: string[] }> {
  const { lake } = options;
  const dataset = await lake<{ id: string }>("POST", "/api/v1/lake/datasets", {
    name: options.datasetName,
    policy: "analytics",
  });
  const recordIds: string[] = [];
  for (let start = 0; start < options.count; start += options.batchSize) {
    const size = Math.min(options.batchSize, options.count - start);
    const records = Array.from({ length: size }, (_, i) => benchPayload(start + i));
    const created = await lake<{ records: { id: string }[] }>("POST", "/api/v1/lake/data", {
      dataset: dataset.id,
      records,
    });
    recordIds.push(...created.records.map((record) => record.id));
  }
  return { datasetId: dataset.id, recordIds };
}
