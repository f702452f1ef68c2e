import { randomBytes, randomUUID } from "node:crypto";

import { createApiKey } from "../../server/auth/api-keys/create-api-key";
import { loadPrincipal } from "../../server/auth/load-principal";
import { hashPassword } from "../../server/auth/passwords";
import { startDatabase } from "../../server/db/database";

/** A producer (read, write) and a reader, neither an admin, each with an API key. */
export async function createKeys(databaseUrl: string) {
  const db = await startDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    const role = await db.prisma.role.upsert({
      where: { name: "bench_producer" },
      create: { name: "bench_producer", permissions: ["read", "write"] },
      update: {},
    });
    const reader = await db.prisma.role.findUniqueOrThrow({ where: { name: "reader" } });
    const keyFor = async (roleId: string, scopes: ("read" | "write")[]) => {
      const user = await db.prisma.user.create({
        data: {
          email: `bench-${randomUUID()}@datapunk.local`,
          passwordHash: await hashPassword(randomBytes(12).toString("hex")),
          roles: { create: { roleId } },
        },
      });
      const principal = await loadPrincipal({ db, userId: user.id, via: "session" });
      return (await createApiKey({ db, principal, name: "bench:stream", scopes, expiresInDays: 1 }))
        .key;
    };
    return {
      producer: await keyFor(role.id, ["read", "write"]),
      reader: await keyFor(reader.id, ["read"]),
    };
  } finally {
    await db.close();
  }
}
