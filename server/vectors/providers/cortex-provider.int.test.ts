import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, describe, expect, it } from "vitest";

import { errorResponse } from "../../doors/rest/error-response";
import { breakerSnapshot } from "../../resilience/circuit-breakers";

import { RETRY_POLICIES } from "../../resilience/retry-policies";
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

/** The seed's default policy (3 attempts) with short delays. */
const fast = { retry: { ...RETRY_POLICIES.default, initialDelayMs: 10, maxDelayMs: 40 } };

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
      policy: fast,
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
      policy: fast,
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
      policy: fast,
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
      policy: fast,
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
      policy: fast,
    });
    expect((await rejection(provider.embed(["x"]))).message).toMatch(/unexpected answer/);
  });

  it("fails over a refused connection as unavailable", async () => {
    const provider = new CortexProvider({
      url: "http://127.0.0.1:1",
      model: "m",
      timeoutMs: 500,
      policy: fast,
    });
    expect((await rejection(provider.embed(["x"]))).code).toBe("service_unavailable");
  });
});

describe("CortexProvider's circuit breaker, retry budget and bulkhead against a failing peer", () => {
  let cortex: Awaited<ReturnType<typeof startCortex>> | undefined;
  afterEach(async () => {
    await cortex?.close();
    cortex = undefined;
  });

  /** A peer whose answer the test changes as it goes; `next` answers first, one request each. */
  async function startSwitchable(initial: Handler) {
    const peer = { answer: initial, next: [] as Handler[] };
    cortex = await startCortex([
      (request, body, response) => (peer.next.shift() ?? peer.answer)(request, body, response),
    ]);
    return { ...peer, ...cortex, peer };
  }

  it("opens after consecutive failures, fails fast with 503 and Retry-After, half-opens after the interval and closes on success", async () => {
    const { url, seen, peer } = await startSwitchable(status(500));
    const provider = new CortexProvider({
      url,
      model: "m",
      timeoutMs: 2_000,
      policy: { ...fast, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_500 } },
    });

    // One call, three failed attempts: the third opens the circuit.
    expect(await rejection(provider.embed(["x"]))).toMatchObject({
      code: "service_unavailable",
      details: { status: 500 },
    });
    expect(seen).toHaveLength(3);
    expect(breakerSnapshot("cortex")).toMatchObject({ state: "open" });

    // While it is open: refused at once, no request sent, with the seconds until the trial call.
    const started = performance.now();
    const refused = await rejection(provider.embed(["x"]));
    expect(performance.now() - started).toBeLessThan(50);
    expect(seen).toHaveLength(3);
    expect(refused).toMatchObject({
      status: 503,
      code: "service_unavailable",
      details: { dependency: "cortex", breaker: "open", retry_after_seconds: 2 },
      headers: { "Retry-After": "2" },
    });
    // What an API client receives for it: the envelope, with Retry-After.
    const response = errorResponse(refused, "request-1");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toMatchObject({
      error_code: "service_unavailable",
      details: { dependency: "cortex", breaker: "open" },
    });

    // After the interval one trial call goes through; Cortex is back, so the circuit closes.
    peer.answer = embeddings;
    await sleep(1_500);
    expect(await provider.embed(["y"])).toEqual([axis(0)]);
    expect(seen).toHaveLength(4);
    expect(provider.policy.snapshot().state).toBe("closed");
    expect(await provider.embed(["z"])).toEqual([axis(0)]);
  });

  it("a failed trial call opens the circuit for another whole interval", async () => {
    const { url, seen } = await startSwitchable(status(503));
    const provider = new CortexProvider({
      url,
      model: "m",
      timeoutMs: 2_000,
      policy: { ...fast, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 } },
    });
    await rejection(provider.embed(["x"]));
    expect(seen).toHaveLength(3);
    await sleep(300);
    // The trial fails: open again at once; the call's retry finds it open and stops there.
    expect(await rejection(provider.embed(["x"]))).toMatchObject({
      details: { breaker: "open" },
    });
    expect(seen).toHaveLength(4);
    await sleep(150);
    expect(await rejection(provider.embed(["x"]))).toMatchObject({
      details: { breaker: "open" },
    });
    expect(seen).toHaveLength(4);
  });

  it("stops retrying during a long outage (the retry budget), and retries again once successes refill it", async () => {
    const { url, seen, peer } = await startSwitchable(status(503));
    const provider = new CortexProvider({
      url,
      model: "m",
      timeoutMs: 2_000,
      // A breaker that never opens, to see the budget on its own.
      policy: { ...fast, breaker: { consecutiveFailures: 1_000 } },
    });
    for (let call = 0; call < 10; call++) await rejection(provider.embed(["x"]));
    // Three attempts per call would be 30 requests. The bucket (10 tokens, a failed attempt
    // costs one, retries only above 5): 3 attempts, then 2, then one per call.
    expect(seen).toHaveLength(3 + 2 + 8);
    expect(provider.policy.snapshot().retryTokens).toBe(0);

    // Cortex is back: each success returns 0.1 of a token.
    peer.answer = embeddings;
    for (let call = 0; call < 61; call++) await provider.embed(["x"]);
    expect(provider.policy.snapshot().retryTokens).toBeCloseTo(6.1);
    const before = seen.length;
    peer.next.push(status(503));
    expect(await provider.embed(["x"])).toEqual([axis(0)]);
    expect(seen.length - before).toBe(2);
  });

  it("bounds the calls in flight (the bulkhead): beyond its queue a call is a 503 at once", async () => {
    let inFlight = 0;
    let most = 0;
    const slow: Handler = (request, body, response) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        embeddings(request, body, response);
      }, 200);
    };
    const { url } = await startSwitchable(slow);
    const provider = new CortexProvider({
      url,
      model: "m",
      timeoutMs: 2_000,
      policy: { ...fast, bulkhead: { maxConcurrent: 2, queue: 1 } },
    });
    const calls = Array.from({ length: 4 }, () =>
      provider.embed(["x"]).then(
        () => "embedded",
        (error: unknown) => error,
      ),
    );
    const results = await Promise.all(calls);
    expect(results.filter((result) => result === "embedded")).toHaveLength(3);
    expect(results.find((result) => result !== "embedded")).toMatchObject({
      code: "service_unavailable",
      headers: { "Retry-After": "1" },
    });
    expect(most).toBe(2);
  });
});
