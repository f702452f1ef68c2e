import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";

import { env } from "../../env";

/** Shared by the *.int.test.ts files here; the backend list and the TCP proxy are in server/testing. */

export const redisUrl = env().REDIS_URL;

/** A key namespace of its own per suite, so concurrent suites on one Redis never meet. */
export function testNamespace(): string {
  return `lake-test:${randomUUID()}:`;
}

/** Deletes every key under the namespace (SCAN, like the cache). */
export async function deleteNamespace(url: string, namespace: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${namespace}*`, "COUNT", 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  await client.quit();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
