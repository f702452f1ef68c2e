import { connect, createServer, type AddressInfo, type Socket } from "node:net";

/**
 * Makes the Lake see a second client machine: a TCP proxy on another loopback address
 * (127.0.0.0/8 is all local on Linux) whose connections to the Lake leave from that address too,
 * so the server's client IP — what per-IP sign-in limits and API key "last used from" record — is
 * that address rather than the 127.0.0.1 every other test uses. Browsers treat it as localhost
 * (a secure context), and Host and Origin agree, as they would for a real second machine.
 */
export async function startSecondMachine(options: { lake: string; address: string }) {
  const lake = new URL(options.lake);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({
      host: lake.hostname,
      port: Number(lake.port),
      localAddress: options.address,
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    /** The Lake as this machine reaches it, e.g. http://127.0.0.2:41234. */
    origin: `http://${options.address}:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
