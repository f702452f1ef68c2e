import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, describe, expect, it } from "vitest";

import { AppError } from "../../errors/app-error";
import { type BreakerStateName } from "../../resilience/circuit-breakers";
import { RETRY_POLICIES } from "../../resilience/retry-policies";
import { reportRecovery } from "../../testing/recovery";
import { startTcpProxy } from "../../testing/tcp-proxy";
import { axis } from "../testing/vector-fixtures";
import { CortexProvider } from "./cortex-provider";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real HTTP peer standing in for Cortex, answering every embedding request. */
async function startCortex() {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const { input } = JSON.parse(body) as { input: string[] };
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({ data: input.map((_, index) => ({ index, embedding: axis(0) })) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

// cortex-provider.int.test.ts drives the breaker with a peer that answers 500; here the network
// to Cortex goes away under traffic (every connection dropped, new ones refused) and comes back.
describe("Cortex cut off mid-traffic", () => {
  it("fails fast with 503 and Retry-After while open, half-opens, closes, and every caller's text is embedded", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: await startCortex() });
    cleanups.push(() => proxy.close());
    const halfOpenAfterMs = 1_000;
    const provider = new CortexProvider({
      url: `http://127.0.0.1:${proxy.port}/v1`,
      model: "m",
      timeoutMs: 1_000,
      policy: {
        retry: { ...RETRY_POLICIES.default, initialDelayMs: 20, maxDelayMs: 80 },
        breaker: { halfOpenAfterMs },
      },
    });
    cleanups.push(async () => provider.policy.dispose());
    const states: BreakerStateName[] = [];
    provider.policy.onStateChange((state) => states.push(state));

    // Callers that each need one text embedded and, like a client honouring the 503, ask again
    // until it is. A refusal must be the documented 503 and come at once, not after a hang.
    let running = true;
    const embedded: number[] = [];
    const refusals: { ms: number; code: string; retryAfter?: string }[] = [];
    const successes: number[] = [];
    const caller = async (id: number) => {
      for (let n = id; running; n += 4) {
        for (;;) {
          const started = performance.now();
          try {
            await provider.embed([`text ${n}`]);
            embedded.push(n);
            successes.push(performance.now());
            break;
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            refusals.push({
              ms: performance.now() - started,
              code: error.code,
              retryAfter: error.headers?.["Retry-After"],
            });
            if (!running) return;
            await sleep(50);
          }
        }
      }
    };
    const callers = Promise.all([0, 1, 2, 3].map(caller));

    await sleep(300);
    proxy.cut();
    await expect.poll(() => provider.policy.snapshot().state, { timeout: 5_000 }).toBe("open");
    await sleep(halfOpenAfterMs * 2); // at least one trial fails and reopens it
    proxy.restore();
    const restoredAt = performance.now();
    await expect
      .poll(() => successes.some((at) => at > restoredAt), { timeout: 10_000, interval: 10 })
      .toBe(true);
    const recoveryMs = Math.min(...successes.filter((at) => at > restoredAt)) - restoredAt;
    await sleep(200);
    running = false;
    await callers;

    expect(states[0]).toBe("open");
    expect(states).toContain("half-open");
    expect(states.at(-1)).toBe("closed");
    // Every refusal was the 503 a client can act on; those of the open circuit came at once.
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) expect(refusal.code).toBe("service_unavailable");
    const fastFails = refusals.filter((refusal) => refusal.retryAfter !== undefined);
    expect(fastFails.length).toBeGreaterThan(0);
    // (Some waited for a trial call's outcome, or a retry's delay, before being refused.)
    const median = fastFails.map((refusal) => refusal.ms).sort((a, b) => a - b)[
      Math.floor(fastFails.length / 2)
    ]!;
    expect(median).toBeLessThan(50);
    // No attempt outlived its timeout; nothing hung.
    expect(Math.max(...refusals.map((refusal) => refusal.ms))).toBeLessThan(2_000);

    // Each caller's texts were embedded in turn, none skipped and none twice.
    const lost = [0, 1, 2, 3].reduce((missing, id) => {
      const mine = embedded.filter((n) => n % 4 === id).sort((a, b) => a - b);
      return missing + mine.filter((n, i) => n !== id + 4 * i).length;
    }, 0);
    const duplicated = embedded.length - new Set(embedded).size;
    reportRecovery("cortex", recoveryMs, { lost, duplicated });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(recoveryMs).toBeLessThan(halfOpenAfterMs + 1_000);
  });
});
