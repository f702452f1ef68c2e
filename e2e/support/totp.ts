import { generate } from "otplib";

const PERIOD_SECONDS = 30;

/** The 30-second step a Unix time (ms) falls in, as the server counts them. */
export function totpStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / PERIOD_SECONDS);
}

/**
 * A code an authenticator app would show for `secret`, from a step after `usedStep`. The server
 * accepts each step once (replay guard), so a second code in the same 30 s must wait for the next
 * step: the only sleep in these specs.
 */
export async function totpCodeAfter(
  secret: string,
  usedStep?: number,
): Promise<{ code: string; step: number }> {
  if (usedStep !== undefined) {
    const nextStepAt = (usedStep + 1) * PERIOD_SECONDS * 1000;
    const wait = nextStepAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 250));
  }
  const now = Date.now();
  return {
    code: await generate({ secret, epoch: Math.floor(now / 1000) }),
    step: totpStep(now),
  };
}
