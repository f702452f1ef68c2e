import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { POST as tuneRoute } from "../doors/rest/routes/vector-index-tune";

import { listAudit } from "../audit/list-audit";
import { createRole } from "../roles/create-role";
import { deleteRole } from "../roles/delete-role";
import { updateRole } from "../roles/update-role";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey, createTestUser } from "../testing/identity-fixtures";
import { rejection } from "../testing/rejection";
import { useTestServices } from "../testing/test-services";
import { inviteUser } from "../users/invite-user";
import { listUsers } from "../users/list-users";
import { resetUserPassword } from "../users/reset-user-password";
import { setUserDisabled } from "../users/set-user-disabled";
import { setUserRoles } from "../users/set-user-roles";
import { indexBuildsSettled } from "../vectors/indexes/request-index-tune";
import { tuneVectorIndex } from "../vectors/indexes/index-status";
import { createApiKey } from "./api-keys/create-api-key";
import { authenticateApiKey } from "./api-keys/authenticate-api-key";
import { listApiKeys } from "./api-keys/list-api-keys";
import { revokeApiKey } from "./api-keys/revoke-api-key";
import { rotateApiKey } from "./api-keys/rotate-api-key";
import { getMfaStatus } from "./mfa/get-mfa-status";
import { resetMfa } from "./mfa/reset-mfa";
import { type Permission } from "./principal";

describe.each(databaseBackends)("administration within the key's scopes on $name", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  /** An admin as seen through one of its API keys, narrowed to `scopes`. */
  async function adminKey(scopes: Permission[]) {
    const { key } = await createTestKey(db(), "admin", scopes);
    return { key, principal: await authenticateApiKey({ db: db(), key }) };
  }

  it("refuses every admin change to an admin's read-only key, with 403", async () => {
    const { principal } = await adminKey(["read"]);
    const { principal: other } = await createTestUser(db(), "reader");
    const otherKey = await createApiKey({
      db: db(),
      principal: other,
      name: "k",
      scopes: ["read"],
    });
    const role = await createRole({
      db: db(),
      principal: (await createTestUser(db(), "admin")).principal,
      name: `r-${randomUUID().slice(0, 8)}`,
      permissions: ["read"],
    });
    const base = { db: db(), principal };
    const changes: [string, () => Promise<unknown>][] = [
      [
        "invite",
        () => inviteUser({ ...base, email: `x-${randomUUID()}@lake.test`, roleNames: [] }),
      ],
      ["set roles", () => setUserRoles({ ...base, userId: other.userId, roleNames: ["admin"] })],
      ["disable", () => setUserDisabled({ ...base, userId: other.userId, disabled: true })],
      ["reset password", () => resetUserPassword({ ...base, userId: other.userId })],
      ["reset MFA", () => resetMfa({ ...base, userId: other.userId })],
      ["create role", () => createRole({ ...base, name: "sneaky", permissions: ["read"] })],
      [
        "update role",
        () => updateRole({ ...base, roleId: role.id, permissions: ["read", "write"] }),
      ],
      ["delete role", () => deleteRole({ ...base, roleId: role.id })],
      ["revoke a key", () => revokeApiKey({ ...base, keyId: otherKey.apiKey.id })],
      ["rotate a key", () => rotateApiKey({ ...base, keyId: otherKey.apiKey.id })],
      [
        "tune an index",
        () => tuneVectorIndex({ ...base, request: { type: "TEXT", metric: "cosine" } }),
      ],
    ];
    for (const [name, change] of changes) {
      expect((await rejection(change())).code, name).toBe("forbidden");
    }
    const after = await db().prisma.user.findUniqueOrThrow({
      where: { id: other.userId },
      select: { disabledAt: true, sessionVersion: true },
    });
    expect(after).toEqual({ disabledAt: null, sessionVersion: 0 });
    expect(await db().prisma.vectorIndex.count()).toBe(0);
    const key = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: otherKey.apiKey.id } });
    expect(key).toMatchObject({ revokedAt: null, rotatedToId: null });
  });

  it("refuses admin reads to an admin's key without the read scope", async () => {
    const { principal } = await adminKey(["write"]);
    const { principal: other } = await createTestUser(db(), "reader");
    const base = { db: db(), principal };
    const reads: [string, () => Promise<unknown>][] = [
      ["list users", () => listUsers(base)],
      ["list audit", () => listAudit(base)],
      ["list everyone's keys", () => listApiKeys({ ...base, scope: "all" })],
      ["another's MFA status", () => getMfaStatus({ ...base, userId: other.userId })],
    ];
    for (const [name, read] of reads) {
      expect((await rejection(read())).code, name).toBe("forbidden");
    }
  });

  it("POST /vectors/indexes/tune needs an admin with write: 403 for a read-only key, 202 with write", async () => {
    const tune = (key: string) =>
      tuneRoute(
        new Request("http://lake.test/api/v1/lake/vectors/indexes/tune", {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify({ type: "IMAGE", metric: "l2" }),
        }),
      );
    const refused = await tune((await adminKey(["read"])).key);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error_code: string }).error_code).toBe("forbidden");
    expect(await db().prisma.vectorIndex.count({ where: { type: "IMAGE" } })).toBe(0);

    expect((await tune((await adminKey(["read", "write"])).key)).status).toBe(202);
    await indexBuildsSettled();
  });
});
