import { afterAll, beforeAll } from "vitest";

import { startTcpProxy, throughProxy } from "../../testing/tcp-proxy";
import { type CacheServices, createCacheServices } from "../cache-services";
import { deleteNamespace, testNamespace } from "./redis-namespace";

/**
 * Two instances' cache services on one Redis namespace: `flaky` reaches Redis through a proxy the
 * test can cut and restore, `steady` directly and is never cut off.
 */
export function useFlakyRedisPair(redisUrl: string) {
  const namespace = testNamespace();
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let flaky: CacheServices;
  let steady: CacheServices;
  beforeAll(async () => {
    const { hostname, port } = new URL(redisUrl);
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    [flaky, steady] = await Promise.all([
      createCacheServices({ redisUrl: throughProxy(redisUrl, proxy.port), namespace }),
      createCacheServices({ redisUrl, namespace }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([flaky.close(), steady.close()]);
    await proxy.close();
    await deleteNamespace(redisUrl, namespace);
  });
  return { proxy: () => proxy, flaky: () => flaky, steady: () => steady };
}
