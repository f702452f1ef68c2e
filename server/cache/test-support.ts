import { randomUUID } from "node:crypto";
import net from "node:net";

import { Redis } from "ioredis";

import { env } from "../env";

/**
 * Shared by the *.int.test.ts files here: which implementations to run each suite against, and a
 * TCP proxy that lets a test take "Redis" away and bring it back without touching the real server.
 */

export const redisUrl = env().REDIS_URL;

export type Target = { name: "memory" | "redis"; redisUrl?: string };

/** Memory always; Redis too when REDIS_URL is set. */
export const targets: Target[] = [{ name: "memory" }, ...(redisUrl ? [{ name: "redis" as const, redisUrl }] : [])];

/** A key namespace of its own per test file, so parallel runs never meet. */
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

export type TcpProxy = {
  /** redis://127.0.0.1:<proxy port>, with the upstream URL's path (db). */
  url: string;
  /** Refuses new connections and cuts the open ones: Redis looks down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
};

export async function startTcpProxy(upstreamUrl: string): Promise<TcpProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = net.createServer((client) => {
      const remote = net.connect(Number(upstream.port || 6379), upstream.hostname);
      for (const socket of [client, remote]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          remote.destroy();
        });
      }
      client.pipe(remote).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => resolve());
    });
    port = (next.address() as net.AddressInfo).port;
    server = next;
  };

  await listen();
  const url = new URL(upstreamUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async stop() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start: listen,
  };
}
