import { setTimeout as sleep } from "node:timers/promises";

/**
 * Fault tests (docs/operations/resilience.md, "Proven recovery") measure how long a dependency's
 * return takes to show, and print it in one line the closing note of a change can quote.
 */

/**
 * Calls `probe` until it resolves to true (a throw counts as not yet) and returns the
 * milliseconds from the call to that first success. Gives up after `timeoutMs` with an error that
 * names the fault.
 */
export async function timeToRecovery(
  name: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 20_000);
  for (;;) {
    const ok = await probe().catch(() => false);
    if (ok) return performance.now() - started;
    if (performance.now() > deadline) {
      throw new Error(`${name}: no recovery within ${options.timeoutMs ?? 20_000} ms`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/** `recovery postgres-rest: 1.8 s, lost 0, duplicated 0` */
export function reportRecovery(
  name: string,
  recoveryMs: number,
  outcome: { lost: number; duplicated?: number },
): void {
  const duplicated = outcome.duplicated === undefined ? "" : `, duplicated ${outcome.duplicated}`;
  console.info(
    `recovery ${name}: ${(recoveryMs / 1000).toFixed(1)} s, lost ${outcome.lost}${duplicated}`,
  );
}
