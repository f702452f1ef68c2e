import { AppError } from "../../errors/app-error";

export type ConnectionLimits = {
  /** Open connections on this instance. */
  perInstance: number;
  /** Open connections of one user on this instance (all their sessions, tokens and keys). */
  perPrincipal: number;
};

// Slots free up when a client closes one; a few seconds is a fair first wait.
const RETRY_AFTER = { "Retry-After": "5" };

/**
 * Counts open connections per instance and per user. A slot is taken after authentication and
 * before the handshake completes, and given back exactly once when the socket closes, whichever
 * way it closes (handshake refused by ws, client gone, server shutdown). Per instance, in memory:
 * a client spread over N instances may hold N × perPrincipal.
 */
export function connectionSlots(limits: ConnectionLimits) {
  let total = 0;
  const byPrincipal = new Map<string, number>();

  const instanceFull = () =>
    new AppError(
      "service_unavailable",
      "This instance holds as many stream connections as it may; try again shortly.",
      { limit: limits.perInstance },
      RETRY_AFTER,
    );

  return {
    /** Checked before authenticating too, so a full instance spends no query on a refusal. */
    assertRoom(): void {
      if (total >= limits.perInstance) throw instanceFull();
    },
    /** Takes a slot for `principalKey`, or throws 503 (instance) / 429 (principal). */
    acquire(principalKey: string): () => void {
      if (total >= limits.perInstance) throw instanceFull();
      const held = byPrincipal.get(principalKey) ?? 0;
      if (held >= limits.perPrincipal) {
        throw new AppError(
          "rate_limited",
          `At most ${limits.perPrincipal} stream connections per user; close one first.`,
          { limit: limits.perPrincipal },
          RETRY_AFTER,
        );
      }
      total += 1;
      byPrincipal.set(principalKey, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byPrincipal.get(principalKey) ?? 1) - 1;
        if (left > 0) byPrincipal.set(principalKey, left);
        else byPrincipal.delete(principalKey);
      };
    },
    open: () => total,
  };
}
