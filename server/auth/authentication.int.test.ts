import { createHmac } from "node:crypto";

import { SignJWT } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { GET as me } from "../doors/rest/routes/me";
import { POST as token } from "../doors/rest/routes/auth-token";

import { env } from "../env";
import { apiRoute } from "../doors/rest/api-route";
import { CLIENT_IP_HEADER } from "../doors/rest/client-ip";
import { databaseBackends, redisBackends } from "../testing/backends";
import {
  createTestKey,
  createTestUser,
  sessionCookie,
  TEST_PASSWORD,
} from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { issueAccessToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./access-token";
import { createApiKey } from "./api-keys/create-api-key";
import { revokeApiKey } from "./api-keys/revoke-api-key";
import { rotateApiKey } from "./api-keys/rotate-api-key";
import { confirmTotpEnrollment } from "./mfa/confirm-totp-enrollment";
import { startTotpEnrollment } from "./mfa/start-totp-enrollment";
import { currentCode } from "./mfa/totp";

const get = (headers: Record<string, string>) =>
  me(new Request("http://lake.test/api/v1/lake/me", { headers }));
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
// Each test's requests come from an address of its own (the per-IP sign-in limit would otherwise
// be shared by the whole suite); the per-account limit is what the limit test checks.
let clientIp = "10.0.0.1";
beforeEach(() => {
  clientIp = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});
const tokenRequest = (body: unknown) =>
  token(
    new Request("http://lake.test/api/v1/lake/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_IP_HEADER]: clientIp },
      body: JSON.stringify(body),
    }),
  );

async function expectEnvelope(response: Response, status: number, errorCode: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error_code: string };
  expect(body.error_code).toBe(errorCode);
}

const accessTokenKey = () =>
  createHmac("sha256", env().LAKE_AUTH_SECRET).update("datapunk-lake/access-token/v1").digest();
const sign = (claims: Record<string, unknown>, key: Uint8Array = accessTokenKey()) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key);

// The real Redis for the server backend when there is one; in-process limits otherwise.
describe.each(databaseBackends)("authentication on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  it("accepts an API key as Bearer or X-API-Key, and a session cookie", async () => {
    const { key, principal } = await createTestKey(db(), "reader", ["read"]);
    for (const headers of [bearer(key), { "x-api-key": key }]) {
      const response = await get(headers);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        user_id: principal.userId,
        permissions: ["read"],
        via: "api_key",
      });
    }
    const session = await get({ cookie: await sessionCookie(principal.userId) });
    expect(await session.json()).toMatchObject({ user_id: principal.userId, via: "session" });
  });

  it("answers 401 in the envelope without credentials", async () => {
    await expectEnvelope(await get({}), 401, "unauthorized");
  });

  it("exchanges an API key for a one-hour JWT that carries the key's scopes", async () => {
    const { key } = await createTestKey(db(), "admin", ["read"]);
    const response = await tokenRequest({ api_key: key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const [, payload] = body.access_token.split(".");
    expect(JSON.parse(Buffer.from(payload!, "base64url").toString())).toMatchObject({
      iss: "datapunk-auth",
      scope: "read",
    });
    const whoami = await get(bearer(body.access_token));
    expect(await whoami.json()).toMatchObject({ via: "jwt", permissions: ["read"] });
  });

  it.each([
    [
      "signed with another key",
      () =>
        sign(
          { sub: crypto.randomUUID(), scope: "read", iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE },
          new Uint8Array(32).fill(7),
        ),
    ],
    [
      "with the wrong issuer",
      () =>
        sign({ sub: crypto.randomUUID(), scope: "read", iss: "someone-else", aud: TOKEN_AUDIENCE }),
    ],
    [
      "with alg none",
      async () => {
        const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
        const now = Math.floor(Date.now() / 1000);
        return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: crypto.randomUUID(), scope: "read write delete", iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now + 3600 })}.`;
      },
    ],
    ["that is not a JWT at all", async () => "garbage"],
  ])("refuses a JWT %s with 401", async (_name, make) => {
    await expectEnvelope(await get(bearer(await make())), 401, "unauthorized");
  });

  it("refuses an expired JWT with 401", async () => {
    const { principal } = await createTestUser(db(), "admin");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - 2 * 3600 * 1000);
    const { access_token } = await issueAccessToken(principal, 0);
    vi.useRealTimers();
    const response = await get(bearer(access_token));
    await expectEnvelope(response, 401, "unauthorized");
  });

  it("refuses revoked, expired and rotated-past-grace keys, and tokens of a revoked key", async () => {
    const revoked = await createTestKey(db(), "reader", ["read"]);
    const exchanged = (
      (await (await tokenRequest({ api_key: revoked.key })).json()) as { access_token: string }
    ).access_token;
    await revokeApiKey({ db: db(), principal: revoked.principal, keyId: revoked.apiKey.id });
    await expectEnvelope(await get(bearer(revoked.key)), 401, "unauthorized");
    await expectEnvelope(await get(bearer(exchanged)), 401, "unauthorized");

    const expired = await createTestKey(db(), "reader", ["read"]);
    await db().prisma.apiKey.update({
      where: { id: expired.apiKey.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expectEnvelope(await get(bearer(expired.key)), 401, "unauthorized");

    const rotated = await createTestKey(db(), "reader", ["read"]);
    const next = await rotateApiKey({
      db: db(),
      principal: rotated.principal,
      keyId: rotated.apiKey.id,
      graceHours: 1,
    });
    expect((await get(bearer(rotated.key))).status).toBe(200); // within the grace period
    await db().prisma.apiKey.update({
      where: { id: rotated.apiKey.id },
      data: { graceUntil: new Date(Date.now() - 1000) },
    });
    await expectEnvelope(await get(bearer(rotated.key)), 401, "unauthorized");
    expect((await get(bearer(next.key))).status).toBe(200);
  });

  it("answers 403 when the key's scope or the role is too narrow", async () => {
    const write = apiRoute({
      endpoint: "/test/write",
      permission: "write",
      handler: async () => ({ ok: true }),
    });
    const call = (credential: string) =>
      write(new Request("http://lake.test/test/write", { headers: bearer(credential) }));
    const narrowKey = await createTestKey(db(), "admin", ["read"]);
    await expectEnvelope(await call(narrowKey.key), 403, "forbidden");
    const { principal: reader } = await createTestUser(db(), "reader");
    await expectEnvelope(
      await call((await issueAccessToken(reader, 0)).access_token),
      403,
      "forbidden",
    );
    const wideKey = await createTestKey(db(), "admin", ["read", "write"]);
    expect((await call(wideKey.key)).status).toBe(200);
  });

  it("ends a console session when the user's session version moves on", async () => {
    const { principal } = await createTestUser(db(), "reader");
    const cookie = await sessionCookie(principal.userId, 0);
    expect((await get({ cookie })).status).toBe(200);
    await db().prisma.user.update({
      where: { id: principal.userId },
      data: { sessionVersion: { increment: 1 } },
    });
    await expectEnvelope(await get({ cookie }), 401, "unauthorized");
  });

  it("exchanges credentials for a token, asking for the second factor when MFA is on", async () => {
    const { principal, email } = await createTestUser(db(), "admin");
    expect((await tokenRequest({ email, password: TEST_PASSWORD })).status).toBe(200);
    await expectEnvelope(
      await tokenRequest({ email, password: "wrong password!" }),
      401,
      "unauthorized",
    );

    const { secret } = await startTotpEnrollment({ db: db(), principal });
    vi.useFakeTimers({ toFake: ["Date"] });
    const step = Math.floor(Date.now() / 30_000);
    try {
      vi.setSystemTime(step * 30_000 + 1_000);
      await confirmTotpEnrollment({ db: db(), principal, code: await currentCode(secret) });
      const missing = await tokenRequest({ email, password: TEST_PASSWORD });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ details: { reason: "mfa_required" } });

      vi.setSystemTime((step + 1) * 30_000 + 1_000);
      const code = await currentCode(secret);
      expect((await tokenRequest({ email, password: TEST_PASSWORD, totp: code })).status).toBe(200);
      // The same code again, in the same step: a replay.
      await expectEnvelope(
        await tokenRequest({ email, password: TEST_PASSWORD, totp: code }),
        401,
        "unauthorized",
      );
      await expectEnvelope(
        await tokenRequest({ email, password: TEST_PASSWORD, totp: "000000" }),
        401,
        "unauthorized",
      );
    } finally {
      vi.useRealTimers();
    }
    const failures = await db().prisma.auditLog.count({
      where: { actorId: principal.userId, action: "auth.sign_in.failure" },
    });
    expect(failures).toBe(3);
  });

  it("limits sign-in attempts per account and answers 429 with Retry-After", async () => {
    const { email } = await createTestUser(db(), "reader");
    const limit = env().LAKE_RATE_LIMIT_AUTH_PER_15_MIN;
    for (let i = 0; i < limit; i++) await tokenRequest({ email, password: "wrong password!" });
    const limited = await tokenRequest({ email, password: TEST_PASSWORD });
    await expectEnvelope(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses API access with a temporary password or a required MFA not yet enrolled", async () => {
    const invited = await createTestUser(db(), "reader");
    await db().prisma.user.update({
      where: { id: invited.principal.userId },
      data: { mustChangePassword: true },
    });
    const refused = await tokenRequest({ email: invited.email, password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ details: { reason: "password_change_required" } });
    const viaCookie = await get({ cookie: await sessionCookie(invited.principal.userId) });
    expect(viaCookie.status).toBe(403);

    const strict = await createTestUser(db(), "reader");
    const role = await db().prisma.role.create({
      data: { name: `strict-${crypto.randomUUID()}`, permissions: ["read"], requireMfa: true },
    });
    await db().prisma.userRole.create({
      data: { userId: strict.principal.userId, roleId: role.id },
    });
    const mfaFirst = await tokenRequest({ email: strict.email, password: TEST_PASSWORD });
    expect(mfaFirst.status).toBe(403);
    expect(await mfaFirst.json()).toMatchObject({ details: { reason: "mfa_enrollment_required" } });
  });

  it("keeps an API key's own rate limit on the tokens exchanged for it", async () => {
    const { key, apiKey } = await createTestKey(db(), "reader", ["read"]);
    await db().prisma.apiKey.update({ where: { id: apiKey.id }, data: { rateLimitPerHour: 2 } });
    const { access_token } = (await (await tokenRequest({ api_key: key })).json()) as {
      access_token: string;
    };
    const limited = apiRoute({
      endpoint: "/test/limited-by-key",
      permission: "read",
      rateLimit: { bucket: "key-limit-test", perHour: () => 1000 },
      handler: async () => ({ ok: true }),
    });
    const call = () =>
      limited(new Request("http://lake.test/x", { headers: bearer(access_token) }));
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit-limit")).toBe("2");
  });

  it("lets a key be created with its own rate limit; above the default only by admins", async () => {
    const { principal: reader } = await createTestUser(db(), "reader");
    const lower = await createApiKey({
      db: db(),
      principal: reader,
      name: "slow",
      scopes: ["read"],
      rateLimitPerHour: 5,
    });
    expect(lower.apiKey.rateLimitPerHour).toBe(5);
    await expect(
      createApiKey({
        db: db(),
        principal: reader,
        name: "fast",
        scopes: ["read"],
        rateLimitPerHour: 5000,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const { principal: admin } = await createTestUser(db(), "admin");
    const higher = await createApiKey({
      db: db(),
      principal: admin,
      name: "ingest",
      scopes: ["read"],
      rateLimitPerHour: 5000,
    });
    expect(higher.apiKey.rateLimitPerHour).toBe(5000);
  });
});
