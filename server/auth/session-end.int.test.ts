import { createHmac } from "node:crypto";

import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";

import { GET as me } from "../doors/rest/routes/me";
import { POST as token } from "../doors/rest/routes/auth-token";

import { CLIENT_IP_HEADER } from "../doors/rest/client-ip";
import { env } from "../env";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestUser, sessionCookie, TEST_PASSWORD } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { changePassword } from "../users/change-password";
import { resetUserPassword } from "../users/reset-user-password";
import { setUserDisabled } from "../users/set-user-disabled";
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "./access-token";
import { createApiKey } from "./api-keys/create-api-key";
import { resetMfa } from "./mfa/reset-mfa";
import { type Principal } from "./principal";
import { type Database } from "../db/client";

const status = async (headers: Record<string, string>) =>
  (await me(new Request("http://lake.test/api/v1/lake/me", { headers }))).status;
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

// An address per test, so the per-IP sign-in limit is not shared by the whole suite.
let clientIp = "10.0.0.1";
beforeEach(() => {
  clientIp = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});
async function exchange(body: unknown): Promise<string> {
  const response = await token(
    new Request("http://lake.test/api/v1/lake/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_IP_HEADER]: clientIp },
      body: JSON.stringify(body),
    }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

type EndingAction = (options: { db: Database; admin: Principal; user: Principal }) => Promise<void>;

// Everything the README promises ends all of a user's sessions.
const endingActions: [string, EndingAction][] = [
  [
    "the user changes the password",
    ({ db, user }) =>
      changePassword({
        db,
        principal: user,
        currentPassword: TEST_PASSWORD,
        newPassword: "a brand new password",
      }),
  ],
  [
    "an admin disables the account (and enables it again)",
    async ({ db, admin, user }) => {
      await setUserDisabled({ db, principal: admin, userId: user.userId, disabled: true });
      await setUserDisabled({ db, principal: admin, userId: user.userId, disabled: false });
    },
  ],
  [
    "an admin resets the password",
    async ({ db, admin, user }) => {
      await resetUserPassword({ db, principal: admin, userId: user.userId });
    },
  ],
  [
    "an admin resets the MFA",
    async ({ db, admin, user }) => {
      await resetMfa({ db, principal: admin, userId: user.userId });
    },
  ],
];

describe.each(databaseBackends)("ending a user's sessions on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  it.each(endingActions)(
    "ends console sessions and password tokens at once when %s",
    async (_name, action) => {
      const { principal: admin } = await createTestUser(db(), "admin");
      const { principal: user, email } = await createTestUser(db(), "reader");
      const passwordToken = await exchange({ email, password: TEST_PASSWORD });
      const cookie = await sessionCookie(user.userId);
      expect(await status(bearer(passwordToken))).toBe(200);
      expect(await status({ cookie })).toBe(200);

      await action({ db: db(), admin, user });

      expect(await status(bearer(passwordToken))).toBe(401);
      expect(await status({ cookie })).toBe(401);
    },
  );

  it("leaves API keys and their tokens alone on a password change: they are not sessions", async () => {
    const { principal: user, email } = await createTestUser(db(), "reader");
    const { key } = await createApiKey({ db: db(), principal: user, name: "ci", scopes: ["read"] });
    const keyToken = await exchange({ api_key: key });
    await changePassword({
      db: db(),
      principal: user,
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
    });
    expect(await status(bearer(key))).toBe(200);
    expect(await status(bearer(keyToken))).toBe(200);
    // A token from the new password is a new session and works.
    expect(await status(bearer(await exchange({ email, password: "a brand new password" })))).toBe(
      200,
    );
  });

  it("refuses a correctly signed token bound to neither an API key nor a session", async () => {
    const { principal: user } = await createTestUser(db(), "reader");
    const signingKey = createHmac("sha256", env().LAKE_AUTH_SECRET)
      .update("datapunk-lake/access-token/v1")
      .digest();
    const unbound = await new SignJWT({ scope: "read" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(user.userId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(signingKey);
    expect(await status(bearer(unbound))).toBe(401);
  });
});
