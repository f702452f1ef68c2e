import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertAccountReady, loadAccountGate } from "./account-gate";
import { verifyAccessToken } from "./access-token";
import { isKeyLive } from "./api-keys/api-key-policy";
import { authenticateApiKey } from "./api-keys/authenticate-api-key";
import { loadPrincipal } from "./load-principal";
import { type Principal } from "./principal";
import { readSessionCookie } from "./session-cookie";

const API_KEY_PREFIX = "dpl_";

/**
 * Who sent this request, by whichever credential it carries: `Authorization: Bearer <jwt or API
 * key>`, `X-API-Key`, or the console's session cookie. null when it carries none; a credential
 * that is present but wrong is a 401, never a fall-through to the next kind.
 */
export async function authenticateRequest(options: {
  db: Database;
  headers: Headers;
  ip: string | null;
}): Promise<Principal | null> {
  const { db, headers, ip } = options;
  const authorization = headers.get("authorization");
  if (authorization) {
    const [scheme, credential] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "bearer" || !credential) {
      throw new AppError("unauthorized", "Use `Authorization: Bearer <token or API key>`.");
    }
    if (credential.startsWith(API_KEY_PREFIX))
      return authenticateApiKey({ db, key: credential, ip: ip ?? undefined });
    const claims = await verifyAccessToken(credential);
    // A token exchanged for a key dies with the key (revoked, expired, rotated past grace) and
    // keeps the key's own rate limit; one from a password dies with the user's sessions.
    const keyLimit = claims.apiKeyId ? await assertKeyStillValid(db, claims.apiKeyId) : undefined;
    const principal = await loadPrincipal({
      db,
      userId: claims.userId,
      via: "jwt",
      scopes: claims.scopes,
      apiKeyId: claims.apiKeyId,
      sessionVersion: claims.sessionVersion,
    });
    return keyLimit == null ? principal : { ...principal, apiKeyRateLimitPerHour: keyLimit };
  }
  const apiKey = headers.get("x-api-key");
  if (apiKey) return authenticateApiKey({ db, key: apiKey, ip: ip ?? undefined });

  const session = await readSessionCookie(headers);
  if (!session) return null;
  const principal = await loadPrincipal({
    db,
    userId: session.userId,
    via: "session",
    sessionVersion: session.sessionVersion,
  });
  assertAccountReady(await loadAccountGate(db, principal.userId));
  return principal;
}

/** Throws 401 when the key is gone; returns its own rate limit (null: the route's). */
async function assertKeyStillValid(db: Database, apiKeyId: string): Promise<number | null> {
  const key = await db.prisma.apiKey.findUnique({
    where: { id: apiKeyId },
    select: { revokedAt: true, expiresAt: true, graceUntil: true, rateLimitPerHour: true },
  });
  if (!key || !isKeyLive(key, new Date())) {
    throw new AppError("unauthorized", "The API key behind this token is no longer valid.");
  }
  return key.rateLimitPerHour;
}
