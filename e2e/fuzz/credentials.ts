import { createHmac, randomUUID } from "node:crypto";

import fc from "fast-check";
import { SignJWT } from "jose";

import { type Credentials } from "./fuzz-case";
import { badHeaderValue, labeled, type Labeled } from "./malformed";

type Admin = { email: string; password: string };

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Tokens with the instance's own signing key (the spec sets LAKE_AUTH_SECRET) but claims the
 * Lake must refuse: they get past the signature, so the claim checks and lookups are what answer.
 * The key derivation is server/auth/access-token.ts's.
 */
async function forgeTokens(authSecret: string, userId: string): Promise<Record<string, string>> {
  const key = createHmac("sha256", authSecret).update("datapunk-lake/access-token/v1").digest();
  const sign = (
    claims: Record<string, unknown>,
    options: { alg?: string; sub?: string; aud?: string; exp?: number } = {},
  ) =>
    new SignJWT({ scope: "read write delete", ...claims })
      .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
      .setIssuer("datapunk-auth")
      .setAudience(options.aud ?? "datapunk-lake")
      .setSubject(options.sub ?? userId)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(key);
  const unsigned = (payload: object) =>
    `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
  return {
    "forged-expired": await sign({}, { exp: Math.floor(Date.now() / 1000) - 60 }),
    "forged-unknown-user": await sign({}, { sub: randomUUID() }),
    "forged-non-uuid-sub": await sign({}, { sub: "1; drop table users" }),
    "forged-wrong-audience": await sign({}, { aud: "someone-else" }),
    "forged-dead-api-key": await sign({ akid: randomUUID() }),
    "forged-odd-scopes": await sign({ scope: "admin * \u0000 read read" }),
    "forged-hs512": await sign({}, { alg: "HS512" }),
    "forged-alg-none": unsigned({ sub: userId, scope: "read write delete", iss: "datapunk-auth" }),
  };
}

/**
 * A console session through next-auth's own endpoints (what the sign-in form posts), without a
 * browser: the fuzzer speaks HTTP only.
 */
async function signInSession(baseURL: string, admin: Admin): Promise<string> {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const signedIn = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({
      csrfToken,
      email: admin.email,
      password: admin.password,
      json: "true",
    }),
  });
  const session = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => /next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`signing in left no session cookie (${signedIn.status})`);
  return session;
}

/** The admin's credentials on the instance under fuzz: a token, an API key and a console session. */
export async function obtainCredentials(options: {
  baseURL: string;
  admin: Admin;
  authSecret: string;
}): Promise<Credentials> {
  const { baseURL, admin } = options;
  const { access_token } = await postJson(`${baseURL}/api/v1/lake/auth/token`, admin);
  const token = String(access_token);
  const sessionCookie = await signInSession(baseURL, admin);

  const created = await postJson(
    `${baseURL}/api/trpc/account.apiKeys.create`,
    { name: "fuzz", scopes: ["read", "write", "delete"] },
    { cookie: sessionCookie, origin: baseURL },
  );
  const apiKey = String((created.result as { data: { key: string } }).data.key);

  const me = await fetch(`${baseURL}/api/v1/lake/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { user_id } = (await me.json()) as { user_id: string };
  return {
    token,
    apiKey,
    sessionCookie,
    forgedTokens: await forgeTokens(options.authSecret, user_id),
  };
}

/** The admin's real credentials, in each form the REST API and tus accept. */
export function validCredential(
  credentials: Credentials,
): fc.Arbitrary<Labeled<Record<string, string>>> {
  return fc.oneof(
    labeled("admin-token", fc.constant({ authorization: `Bearer ${credentials.token}` })),
    labeled("admin-api-key", fc.constant({ "x-api-key": credentials.apiKey })),
    labeled("admin-api-key-bearer", fc.constant({ authorization: `Bearer ${credentials.apiKey}` })),
    labeled("admin-session", fc.constant({ cookie: credentials.sessionCookie })),
  );
}

/** Missing, garbage and forged credentials: the case is then about authentication itself. */
export function invalidCredential(
  credentials: Credentials,
): fc.Arbitrary<Labeled<Record<string, string>>> {
  return fc.oneof(
    labeled("none", fc.constant({})),
    labeled(
      "garbage-bearer",
      fc
        .oneof(
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "Basic YWRtaW46YWRtaW4=",
            "bearer x.y.z",
            "Bearer dpl_",
            "Bearer dpl_x_y",
          ),
          badHeaderValue.map(([, v]) => `Bearer ${v}`),
          fc.string({ maxLength: 60 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}`),
        )
        .map((authorization) => ({ authorization })),
    ),
    labeled(
      "garbage-api-key",
      fc
        .constantFrom(
          "dpl_",
          `${credentials.apiKey.slice(0, 17)}_${"A".repeat(43)}`,
          `${credentials.apiKey}x`,
          "dpl_0000000000000_" + "x".repeat(43),
          "x".repeat(6_000),
        )
        .map((key) => ({ "x-api-key": key })),
    ),
    labeled(
      "garbage-cookie",
      fc.constantFrom(
        { cookie: "next-auth.session-token=garbage" },
        { cookie: `${credentials.sessionCookie.slice(0, -4)}` },
        { cookie: "__Secure-next-auth.session-token=a.b.c.d.e" },
      ),
    ),
    ...Object.entries(credentials.forgedTokens).map(([label, token]) =>
      labeled(label, fc.constant({ authorization: `Bearer ${token}` })),
    ),
  );
}
