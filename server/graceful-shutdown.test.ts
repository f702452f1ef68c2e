import { createServer, request, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { gracefulShutdown } from "./graceful-shutdown";

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

function listen(handler: RequestListener): Promise<number> {
  server = createServer({ keepAlive: true }, handler);
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve((server!.address() as AddressInfo).port)),
  );
}

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: "127.0.0.1", path: "/" }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("gracefulShutdown", () => {
  it("lets an in-flight request finish, refuses new ones, then releases resources", async () => {
    const port = await listen((_req, res) => setTimeout(() => res.end("done"), 300));
    const inFlight = get(port);
    await new Promise((r) => setTimeout(r, 50));
    const order: string[] = [];

    const stopping = gracefulShutdown({
      server: server!,
      timeoutMs: 5_000,
      beforeDrain: async () => void order.push("before"),
      afterDrain: async () => void order.push("after"),
    });
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(await inFlight).toEqual({ status: 200, body: "done" });
    expect(await stopping).toEqual({ timedOut: false });
    expect(order).toEqual(["before", "after"]);
  });

  it("goes on serving new requests for acceptForMs before it stops accepting", async () => {
    const port = await listen((_req, res) => res.end("served"));
    const stopping = gracefulShutdown({ server: server!, timeoutMs: 5_000, acceptForMs: 300 });
    expect(await get(port)).toEqual({ status: 200, body: "served" });
    await new Promise((r) => setTimeout(r, 400));
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(await stopping).toEqual({ timedOut: false });
  });

  it("cuts requests that outlive the timeout and still releases resources", async () => {
    const port = await listen(() => {
      /* never answers */
    });
    const hanging = get(port).catch((error: Error) => error.message);
    await new Promise((r) => setTimeout(r, 50));
    let released = false;
    const result = await gracefulShutdown({
      server: server!,
      timeoutMs: 200,
      afterDrain: async () => {
        released = true;
      },
    });
    expect(result).toEqual({ timedOut: true });
    expect(released).toBe(true);
    expect(await hanging).toMatch(/socket hang up|ECONNRESET/);
  });
});
