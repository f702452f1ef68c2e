import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A loopback TCP proxy a test can cut and restore, to make a real server "go away" and come back
 * without stopping it for everyone else — or stall, to make it fall silent (a network partition,
 * a frozen host) while every connection stays open.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let state: "open" | "cut" | "stalled" = "open";
  const forward = ([client, upstream]: [Socket, Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const hold = ([client, upstream]: [Socket, Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const server = createServer((client) => {
    if (state === "cut") return client.destroy();
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      sockets.add(socket);
      socket.on("close", () => {
        sockets.delete(socket);
        pairs.delete(pair);
        // One side gone: the other goes too, as it would without the proxy.
        for (const other of pair) other.destroy();
      });
      socket.on("error", () => socket.destroy());
    }
    if (state === "stalled") hold(pair);
    else forward(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Drops every connection and refuses new ones. */
    cut() {
      state = "cut";
      for (const socket of sockets) socket.destroy();
    },
    /**
     * Forwards nothing either way, closes nothing, and accepts new connections that get no
     * answer: what a server that stopped answering looks like. Bytes sent meanwhile wait.
     */
    stall() {
      state = "stalled";
      for (const pair of pairs) hold(pair);
    },
    /** Accepts again after a cut; after a stall, forwards what waited, in order. */
    restore() {
      if (state === "stalled") for (const pair of pairs) forward(pair);
      state = "open";
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return proxied.toString();
}
