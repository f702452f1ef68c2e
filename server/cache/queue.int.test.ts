import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import type { Job } from "./queue";
import { deleteNamespace, sleep, testNamespace } from "./testing/redis-namespace";

type Payload = { n: number };
/** Small delays keep the suite fast; the shape (initial × factor^(n−1), capped) is what is tested. */
const fastBackoff = { initialMs: 60, maxMs: 500, factor: 2 };

describe.concurrent.each(redisBackends)("job queue ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;

  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
  });
  afterAll(async () => {
    await services.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });
  const newQueue = (
    options: { attempts?: number; onFailed?: (job: Job<unknown>, error: unknown) => void } = {},
  ) => services.createJobQueue<Payload>({ name: randomUUID(), backoff: fastBackoff, ...options });

  it("runs added jobs with their data, returning their ids", async () => {
    const queue = newQueue();
    const seen: Job<Payload>[] = [];
    queue.process(async (job) => void seen.push(job));
    const ids = [
      await queue.add({ n: 1 }),
      await queue.add({ n: 2 }),
      await queue.add({ n: 3 }, { jobId: "third" }),
    ];

    await vi.waitFor(() => expect(seen).toHaveLength(3), { timeout: 5_000 });
    expect(new Set(ids).size).toBe(3);
    expect(ids[2]).toBe("third");
    expect(seen.map((job) => job.data.n).sort()).toEqual([1, 2, 3]);
    expect(seen.map((job) => job.id).sort()).toEqual([...ids].sort());
    expect(seen.every((job) => job.attempt === 1)).toBe(true);
    await queue.close();
  });

  it("retries a failing job with exponential backoff until it succeeds", async () => {
    const queue = newQueue({ attempts: 4 });
    const runs: Array<{ attempt: number; at: number }> = [];
    queue.process(async (job) => {
      runs.push({ attempt: job.attempt, at: performance.now() });
      if (job.attempt < 3) throw new Error(`transient failure ${job.attempt}`);
    });
    await queue.add({ n: 1 });

    await vi.waitFor(() => expect(runs).toHaveLength(3), { timeout: 5_000 });
    await sleep(300);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = runs.map((run) => run.at) as [number, number, number];
    // 60 ms before the first retry, 120 ms before the second (timers may fire a little early).
    expect(second - first).toBeGreaterThanOrEqual(55);
    expect(third - second).toBeGreaterThanOrEqual(115);
    await queue.close();
  });

  it("gives up after the last attempt and reports the failure once", async () => {
    const failed: Array<{ job: Job<unknown>; error: unknown }> = [];
    const queue = newQueue({ attempts: 2, onFailed: (job, error) => failed.push({ job, error }) });
    let runs = 0;
    queue.process(async () => {
      runs += 1;
      throw new Error("permanent failure");
    });
    const id = await queue.add({ n: 9 });

    await vi.waitFor(() => expect(failed).toHaveLength(1), { timeout: 5_000 });
    await sleep(300);
    expect(runs).toBe(2);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.job).toMatchObject({ id, data: { n: 9 }, attempt: 2 });
    expect((failed[0]!.error as Error).message).toBe("permanent failure");
    await queue.close();
  });

  it("enqueues a jobId once, even when it is added again after it ran", async () => {
    const queue = newQueue();
    const seen: Payload[] = [];
    const jobId = `import-${randomUUID()}`;
    expect(await queue.add({ n: 1 }, { jobId })).toBe(jobId);
    expect(await queue.add({ n: 2 }, { jobId })).toBe(jobId);
    queue.process(async (job) => void seen.push(job.data));

    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000 });
    expect(await queue.add({ n: 3 }, { jobId })).toBe(jobId);
    await sleep(300);
    expect(seen).toEqual([{ n: 1 }]);
    await queue.close();
  });

  it("never runs more jobs at once than its concurrency", async () => {
    const queue = newQueue();
    let running = 0;
    let peak = 0;
    let done = 0;
    queue.process(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(80);
        running -= 1;
        done += 1;
      },
      { concurrency: 2 },
    );
    for (let n = 0; n < 6; n++) await queue.add({ n });

    await vi.waitFor(() => expect(done).toBe(6), { timeout: 5_000 });
    expect(peak).toBe(2);
    await queue.close();
  });

  it("holds a delayed job back for its delay", async () => {
    const queue = newQueue();
    let ranAt: number | undefined;
    queue.process(async () => void (ranAt = performance.now()));
    const addedAt = performance.now();
    await queue.add({ n: 1 }, { delayMs: 250 });

    await vi.waitFor(() => expect(ranAt).toBeDefined(), { timeout: 5_000 });
    expect(ranAt! - addedAt).toBeGreaterThanOrEqual(240);
    await queue.close();
  });

  it("close() waits for the running job to finish", async () => {
    const queue = newQueue();
    let started = false;
    let finished = false;
    queue.process(async () => {
      started = true;
      await sleep(200);
      finished = true;
    });
    await queue.add({ n: 1 });
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 5_000 });
    await queue.close();
    expect(finished).toBe(true);
  });
});
