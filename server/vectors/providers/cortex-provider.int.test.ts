import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { rejection } from "../../testing/rejection";
import { axis } from "../testing/vector-fixtures";
import { CortexProvider } from "./cortex-provider";

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A real HTTP peer standing in for Cortex; `handlers[n]` answers the n-th request. */
async function startCortex(handlers: Handler[]) {
  const seen: { body: unknown; authorization?: string; url?: string }[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({
        body: JSON.parse(body),
        authorization: request.headers.authorization,
        url: request.url,
      });
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)]!;
      handler(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const embeddings: Handler = (_request, body, response) => {
  const { input } = JSON.parse(body) as { input: string[] };
  response.setHeader("content-type", "application/json");
  // Out of order on purpose: `index` says which input each vector belongs to.
  const data = input.map((_, index) => ({ index, embedding: axis(index) })).reverse();
  response.end(JSON.stringify({ data }));
};
const status =
  (code: number): Handler =>
  (_request, _body, response) => {
    response.statusCode = code;
    response.end("{}");
  };
const hang: Handler = () => undefined;

const fast = { attempts: 3, initialDelayMs: 10, maxDelayMs: 40 };

describe("CortexProvider against a local HTTP server", () => {
  let cortex: Awaited<ReturnType<typeof startCortex>> | undefined;
  afterEach(async () => {
    await cortex?.close();
    cortex = undefined;
  });

  it("POSTs {model, input} to /embeddings with the key and returns vectors in input order", async () => {
    cortex = await startCortex([embeddings]);
    const provider = new CortexProvider({
      url: cortex.url,
      apiKey: "secret-key",
      model: "text-embedding-3-small",
      timeoutMs: 2_000,
    });
    const vectors = await provider.embed(["a", "b"]);
    expect(vectors).toEqual([axis(0), axis(1)]);
    expect(cortex.seen).toEqual([
      {
        url: "/v1/embeddings",
        authorization: "Bearer secret-key",
        body: { model: "text-embedding-3-small", input: ["a", "b"] },
      },
    ]);
  });

  it("retries a 503 and succeeds on the next attempt", async () => {
    cortex = await startCortex([status(503), embeddings]);
    const provider = new CortexProvider({
      url: cortex.url,
      model: "m",
      timeoutMs: 2_000,
      retry: fast,
    });
    expect(await provider.embed(["x"])).toEqual([axis(0)]);
    expect(cortex.seen).toHaveLength(2);
  });

  it("gives up after 3 attempts with a 503 envelope error", async () => {
    cortex = await startCortex([status(502)]);
    const provider = new CortexProvider({
      url: cortex.url,
      model: "m",
      timeoutMs: 2_000,
      retry: fast,
    });
    const error = await rejection(provider.embed(["x"]));
    expect(error).toMatchObject({ code: "service_unavailable", details: { status: 502 } });
    expect(cortex.seen).toHaveLength(3);
  });

  it("does not retry a 4xx", async () => {
    cortex = await startCortex([status(401)]);
    const provider = new CortexProvider({
      url: cortex.url,
      model: "m",
      timeoutMs: 2_000,
      retry: fast,
    });
    expect((await rejection(provider.embed(["x"]))).status).toBe(503);
    expect(cortex.seen).toHaveLength(1);
  });

  it("times out each attempt, retries, then fails", async () => {
    cortex = await startCortex([hang]);
    const provider = new CortexProvider({
      url: cortex.url,
      model: "m",
      timeoutMs: 150,
      retry: fast,
    });
    const started = performance.now();
    const error = await rejection(provider.embed(["x"]));
    expect(error).toMatchObject({ code: "service_unavailable", details: { reason: "timeout" } });
    expect(cortex.seen).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses an answer of the wrong shape or dimension", async () => {
    cortex = await startCortex([
      (_request, _body, response) =>
        response.end(JSON.stringify({ data: [{ embedding: [1, 2] }] })),
    ]);
    const provider = new CortexProvider({
      url: cortex.url,
      model: "m",
      timeoutMs: 2_000,
      retry: fast,
    });
    expect((await rejection(provider.embed(["x"]))).message).toMatch(/unexpected answer/);
  });

  it("fails over a refused connection as unavailable", async () => {
    const provider = new CortexProvider({
      url: "http://127.0.0.1:1",
      model: "m",
      timeoutMs: 500,
      retry: fast,
    });
    expect((await rejection(provider.embed(["x"]))).code).toBe("service_unavailable");
  });
});
