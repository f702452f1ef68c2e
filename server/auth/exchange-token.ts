import { z } from "zod";

import { type Database } from "../db/client";
import { assertAccountReady, loadAccountGate } from "./account-gate";
import { issueAccessToken, type TokenResponse } from "./access-token";
import { authenticateApiKey } from "./api-keys/authenticate-api-key";
import { loadPrincipal } from "./load-principal";
import { guardAuthAttempt } from "./sign-in/guard-auth-attempt";
import { verifyCredentials } from "./sign-in/verify-credentials";

export const tokenRequestSchema = z.union([
  z.object({ api_key: z.string().min(1).max(200).describe("An API key (dpl_…)") }).strict(),
  z
    .object({
      email: z.email(),
      password: z.string().min(1).max(1024),
      totp: z.string().max(32).optional().describe("TOTP or backup code; required when MFA is on"),
    })
    .strict(),
]);
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/**
 * POST /api/v1/lake/auth/token: an API key or credentials in, a one-hour Bearer JWT out. A token
 * from a key carries the key's scopes and dies with the key; one from credentials is a session
 * and ends with the user's other sessions (password change, disabled account, resets).
 */
export async function exchangeToken(options: {
  db: Database;
  request: TokenRequest;
  ip: string | null;
  requestId: string;
}): Promise<TokenResponse> {
  const { db, request, ip, requestId } = options;
  if ("api_key" in request) {
    await guardAuthAttempt({ account: `key:${request.api_key.slice(0, 20)}`, ip });
    return issueAccessToken(await authenticateApiKey({ db, key: request.api_key, ip }));
  }
  const user = await verifyCredentials({
    db,
    email: request.email,
    password: request.password,
    code: request.totp,
    channel: "token",
    ip,
    requestId,
  });
  assertAccountReady(await loadAccountGate(db, user.userId));
  // Bound to the session version the password was checked under: if it moved on meanwhile, the
  // token is dead on arrival rather than outliving the change.
  const principal = await loadPrincipal({ db, userId: user.userId, via: "jwt" });
  return issueAccessToken(principal, user.sessionVersion);
}
