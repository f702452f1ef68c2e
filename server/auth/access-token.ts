import { createHmac, randomUUID } from "node:crypto";

import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

import { env } from "../env";
import { AppError } from "../errors/app-error";
import { PERMISSIONS, type Permission, type Principal } from "./principal";

/** The seed's API tokens: issuer datapunk-auth, one hour, HS256 only (alg is pinned on verify). */
export const TOKEN_ISSUER = "datapunk-auth";
export const TOKEN_AUDIENCE = "datapunk-lake";
export const TOKEN_TTL_SECONDS = 3600;
const ALGORITHM = "HS256";

export type TokenResponse = { access_token: string; token_type: "Bearer"; expires_in: number };

// A key of its own, derived from the configured secret, so an access token can never pass for a
// console session cookie (which next-auth signs with the same secret) or the other way round.
function signingKey(): Uint8Array {
  return createHmac("sha256", env().LAKE_AUTH_SECRET)
    .update("datapunk-lake/access-token/v1")
    .digest();
}

// Every token is bound to what can end it before it expires: the API key it was exchanged for
// (`akid`), or the user's session version at sign-in (`sv`), which a password change, a disabled
// account, a password reset or an MFA reset moves on. A token bound to neither is refused.
const claimsSchema = z
  .object({
    sub: z.uuid(),
    scope: z.string(),
    akid: z.uuid().optional(),
    sv: z.number().int().nonnegative().optional(),
  })
  .refine((claims) => (claims.akid === undefined) !== (claims.sv === undefined));

/**
 * A token for the principal. A principal that came with an API key is bound to the key; any other
 * stands for a user's session and needs the session version its credentials were checked under.
 */
export async function issueAccessToken(
  principal: Principal,
  sessionVersion?: number,
): Promise<TokenResponse> {
  if (!principal.apiKeyId && sessionVersion === undefined) {
    throw new Error("An access token needs an API key or a session version to be bound to.");
  }
  const scope = PERMISSIONS.filter((p) => principal.permissions.has(p)).join(" ");
  const token = await new SignJWT({
    scope,
    ...(principal.apiKeyId ? { akid: principal.apiKeyId } : { sv: sessionVersion }),
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(principal.userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
    .sign(signingKey());
  return { access_token: token, token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS };
}

export type AccessTokenClaims = {
  userId: string;
  scopes: Permission[];
  /** Set for a token exchanged for an API key: it dies with the key. */
  apiKeyId?: string;
  /** Set for a token from email + password: it dies when the user's session version moves on. */
  sessionVersion?: number;
};

/** Verifies signature, alg, issuer, audience and expiry; any failure is the same 401. */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ["exp", "sub"],
    });
    const claims = claimsSchema.parse(payload);
    const scopes = claims.scope
      .split(" ")
      .filter((s): s is Permission => (PERMISSIONS as readonly string[]).includes(s));
    return { userId: claims.sub, scopes, apiKeyId: claims.akid, sessionVersion: claims.sv };
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    throw new AppError(
      "unauthorized",
      expired ? "The access token has expired." : "Invalid access token.",
    );
  }
}
