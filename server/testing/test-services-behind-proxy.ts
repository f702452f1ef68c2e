import { afterAll, beforeAll } from "vitest";

import { startTcpProxy, throughProxy } from "./tcp-proxy";
import { useTestServices } from "./test-services";

/**
 * useTestServices on the real PostgreSQL at `databaseUrl`, reached through a TCP proxy the test
 * can cut and restore: the database "goes away" for this suite's pool only, mid-traffic.
 */
export function useTestServicesBehindProxy(databaseUrl: string | undefined, redisUrl?: string) {
  // Filled before useTestServices' own beforeAll reads it (hooks run in registration order).
  const backend: { url?: string } = {};
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  beforeAll(async () => {
    if (!databaseUrl) throw new Error("a suite behind a proxy needs a PostgreSQL server");
    const target = new URL(databaseUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    backend.url = throughProxy(databaseUrl, proxy.port);
  });
  // After hooks run in reverse: the suite's database is dropped (through the proxy) first.
  afterAll(async () => {
    await proxy?.close();
  });
  const services = useTestServices(backend, redisUrl);
  return {
    ...services,
    proxy: () => {
      if (!proxy) throw new Error("the proxy starts before the tests");
      return proxy;
    },
  };
}
