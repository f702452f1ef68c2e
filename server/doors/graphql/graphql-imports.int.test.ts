import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDataset } from "../../data/datasets/create-dataset";
import { startImportWorkers, stopImportWorkers } from "../../imports/run/import-workers";
import { serviceContext } from "../../service-context";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { useImportTestServer } from "../tus/testing/tus-test-server";
import { tusUpload } from "../tus/testing/tus-upload";
import { POST } from "./graphql-route";
import { sseOperation } from "./testing/sse-operation";

type Result = {
  data?: Record<string, unknown> | null;
  errors?: { extensions: { code: string } }[];
};
type Job = {
  id: string;
  status: string;
  rowsLoaded: number;
  rowsRejected: number;
  error: string | null;
};

describe.each(databaseBackends)("GraphQL importData on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const server = useImportTestServer();
  let producer: Awaited<ReturnType<typeof createTestProducer>>;
  let dataset = "";

  beforeAll(async () => {
    await startImportWorkers({ db: db(), cache: cache(), sweepIntervalMs: 3_600_000 });
    producer = await createTestProducer(db());
    dataset = `inline_${randomUUID().slice(0, 8)}`;
    await createDataset({
      ...serviceContext({ principal: producer.principal }),
      name: dataset,
      schema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
    });
  });
  afterAll(() => stopImportWorkers());

  async function graphql(query: string, variables: Record<string, unknown>): Promise<Result> {
    const response = await POST(
      new Request("http://lake.test/api/v1/lake/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": producer.key },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return (await response.json()) as Result;
  }

  const importData = (input: Record<string, unknown>) =>
    graphql(
      `
        mutation ($input: ImportInput!) {
          importData(input: $input) {
            job {
              id
              status
              dataset {
                name
              }
            }
          }
        }
      `,
      { input },
    );

  /** The job once it has finished, followed through importJob as a client would. */
  async function finished(id: string): Promise<Job> {
    for (let i = 0; i < 300; i++) {
      const { data } = await graphql(
        `
          query ($id: ID!) {
            importJob(id: $id) {
              id
              status
              rowsLoaded
              rowsRejected
              error
            }
          }
        `,
        { id },
      );
      const job = data!.importJob as Job;
      if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${id} did not finish`);
  }

  it("imports rows sent inline through the import pipeline, exactly once", async () => {
    const rows = Array.from({ length: 50 }, (_, n) => ({ n }));
    const started = await importData({ dataset, rows });
    expect(started.errors).toBeUndefined();
    const { job } = started.data!.importData as { job: { id: string; dataset: { name: string } } };
    expect(job.dataset.name).toBe(dataset);
    expect(await finished(job.id)).toMatchObject({
      status: "succeeded",
      rowsLoaded: 50,
      rowsRejected: 0,
    });
    const stored = await db().prisma.record.count({ where: { dataset: { name: dataset } } });
    expect(stored).toBe(50);
  });

  it("follows an import's progress as a subscription, from its state now until it ends", async () => {
    const started = await importData({ dataset, rows: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const { job } = started.data!.importData as { job: { id: string } };
    const progress = await sseOperation(
      producer.key,
      `subscription ($id: ID!) { importProgress(id: $id) { id status rowsLoaded } }`,
      { id: job.id },
    );
    try {
      const states = (await progress.next(100, 30_000)).map(
        (result) =>
          result.data!.importProgress as { id: string; status: string; rowsLoaded: number },
      );
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((state) => state.id === job.id)).toBe(true);
      // The stream ends with the import: its last state is the finished one.
      expect(states.at(-1)).toMatchObject({ status: "succeeded", rowsLoaded: 3 });
    } finally {
      await progress.close();
    }
  });

  it("holds the pipeline's rules for inline rows: a row the schema refuses fails the import under error_rate 0", async () => {
    const before = await db().prisma.record.count({ where: { dataset: { name: dataset } } });
    const started = await importData({
      dataset,
      rows: [{ n: 1 }, { n: "two" }],
      options: { error_rate: 0 },
    });
    const { job } = started.data!.importData as { job: { id: string } };
    const done = await finished(job.id);
    expect(done.status).toBe("failed");
    expect(done.rowsRejected).toBe(1);
    expect(await db().prisma.record.count({ where: { dataset: { name: dataset } } })).toBe(before);
  });

  it("starts a finished manual upload by its id", async () => {
    const data = Buffer.from('{"n": 7}\n{"n": 8}\n');
    const { url } = await tusUpload({
      endpoint: server.endpoint(),
      key: producer.key,
      data,
      metadata: { dataset, format: "ndjson", start: "manual" },
    });
    const uploadId = url.split("/").at(-1)!;
    const started = await importData({ uploadId });
    expect(started.errors).toBeUndefined();
    const { job } = started.data!.importData as { job: { id: string; status: string } };
    expect(await finished(job.id)).toMatchObject({ status: "succeeded", rowsLoaded: 2 });
    // A second start is a conflict: the import has run.
    expect((await importData({ uploadId })).errors?.[0]?.extensions.code).toBe("conflict");
  });

  it("refuses inputs that are neither or both, too many rows, and unknown datasets", async () => {
    const codes = async (input: Record<string, unknown>) =>
      (await importData(input)).errors?.map((error) => error.extensions.code);
    expect(await codes({ dataset })).toEqual(["validation_failed"]);
    expect(await codes({ uploadId: "abc", dataset, rows: [{ n: 1 }] })).toEqual([
      "validation_failed",
    ]);
    const many = Array.from({ length: 1001 }, (_, n) => ({ n }));
    expect(await codes({ dataset, rows: many })).toEqual(["validation_failed"]);
    expect(await codes({ dataset: "no_such_dataset", rows: [{ n: 1 }] })).toEqual([
      "validation_failed",
    ]);
    expect(await codes({ uploadId: "0123456789abcdef0123456789abcdef" })).toEqual(["not_found"]);
  });
});
