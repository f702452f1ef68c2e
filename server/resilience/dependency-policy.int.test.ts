import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { TaskCancelledError } from "cockatiel";
import { afterEach, describe, expect, it } from "vitest";

import { metrics } from "../observability/metrics";
import { breakerSnapshot } from "./circuit-breakers";
import { CircuitOpenError } from "./circuit-open-error";
import { dependencyPolicy, type DependencyPolicy } from "./dependency-policy";
import { RETRY_POLICIES } from "./retry-policies";

const quick = { ...RETRY_POLICIES.default, initialDelayMs: 5, maxDelayMs: 10 };

/** A real HTTP peer; `healthy()` decides each answer (200 or 500) when the request arrives. */
async function startPeer(healthy: () => boolean) {
  const peer = { requests: 0, server: undefined as Server | undefined, url: "" };
  peer.server = createServer((request, response) => {
    peer.requests++;
    request.resume();
    response.statusCode = healthy() ? 200 : 500;
    response.end("{}");
  });
  await new Promise<void>((resolve) => peer.server!.listen(0, "127.0.0.1", resolve));
  peer.url = `http://127.0.0.1:${(peer.server.address() as AddressInfo).port}/`;
  return peer;
}

async function call(url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`answered ${response.status}`);
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function policyFor(
  name: string,
  options: Parameters<typeof dependencyPolicy>[1],
): DependencyPolicy {
  const policy = dependencyPolicy("cortex", { name, bulkhead: false, ...options });
  cleanups.push(() => policy.dispose());
  return policy;
}

describe("a dependency policy against a real HTTP peer", () => {
  it("does not oscillate faster than its half-open interval while the peer flaps", async () => {
    // Up and down every 40 ms: fast enough to trip the breaker again right after each trial.
    const started = Date.now();
    const peer = await startPeer(() => Math.floor((Date.now() - started) / 40) % 2 === 0);
    cleanups.push(() => new Promise((resolve) => peer.server!.close(resolve)));
    const halfOpenAfterMs = 250;
    const policy = policyFor("flapping", {
      retry: quick,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs },
      // Retries are what the budget would stop; here the breaker alone is under test.
      budget: { maxTokens: 1_000 },
    });
    const opened: number[] = [];
    const changes: string[] = [];
    policy.onStateChange((state) => {
      changes.push(state);
      if (state === "open") opened.push(Date.now());
    });

    let calls = 0;
    let refused = 0;
    const runFor = 2_000;
    while (Date.now() - started < runFor) {
      calls++;
      await policy
        .execute(({ signal }) => call(peer.url, signal))
        .catch((error: unknown) => {
          if (error instanceof CircuitOpenError) refused++;
        });
      await sleep(5);
    }

    expect(opened.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < opened.length; i++) {
      expect(opened[i]! - opened[i - 1]!).toBeGreaterThanOrEqual(halfOpenAfterMs);
    }
    expect(opened.length).toBeLessThanOrEqual(Math.ceil(runFor / halfOpenAfterMs) + 1);
    // Only the breaker's own moves: never from open to closed, or open again, without a trial.
    const allowed = ["closed>open", "open>half-open", "half-open>closed", "half-open>open"];
    for (let i = 1; i < changes.length; i++) {
      expect(allowed).toContain(`${changes[i - 1]}>${changes[i]}`);
    }
    // While open, calls were refused without reaching the peer.
    expect(refused).toBeGreaterThan(0);
    expect(peer.requests).toBeLessThan(calls * quick.attempts);
  });

  it("ends an attempt that gets no answer at its timeout, and retries it", async () => {
    let requests = 0;
    const server = createServer(() => {
      requests++; // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const policy = policyFor("hanging", { retry: quick, timeoutMs: 100 });
    const started = performance.now();
    const error = await policy.execute(({ signal }) => call(url, signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect((error as Error).message).toBe("no answer within 100 ms");
    expect(requests).toBe(3);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("shows its breaker in the registry and on /metrics until it is disposed", async () => {
    const peer = await startPeer(() => false);
    cleanups.push(() => new Promise((resolve) => peer.server!.close(resolve)));
    const policy = dependencyPolicy("cortex", {
      name: "metrics-probe",
      retry: quick,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
    });
    await policy.execute(({ signal }) => call(peer.url, signal)).catch(() => undefined);
    expect(breakerSnapshot("metrics-probe")?.state).toBe("open");
    expect(breakerSnapshot("metrics-probe")?.retryAfterMs).toBeGreaterThan(59_000);
    const text = await metrics().registry.metrics();
    expect(text).toContain(
      'circuit_breaker_state{dependency="metrics-probe",state="open",service="datapunk-lake"} 1',
    );
    expect(text).toContain(
      'circuit_breaker_state{dependency="metrics-probe",state="closed",service="datapunk-lake"} 0',
    );
    expect(text).toMatch(
      /retry_budget_tokens\{dependency="metrics-probe",service="datapunk-lake"\} 9/,
    );

    policy.dispose();
    expect(breakerSnapshot("metrics-probe")).toBeUndefined();
    expect(await metrics().registry.metrics()).not.toContain('dependency="metrics-probe"');
  });
});
