import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../auth/principal";
import { POST as trpcPost, GET as trpcGet } from "../doors/trpc/fetch-handler";
import { databaseBackends } from "../testing/backends";
import { createTestUser, sessionCookie } from "../testing/identity-fixtures";
import { rejection } from "../testing/rejection";
import { useTestServices } from "../testing/test-services";
import { deleteSavedQuery, listSavedQueries, saveQuery } from "./saved-queries";
import { MAX_QUERY_BYTES, MAX_SAVED_QUERIES } from "./saved-query.schemas";

const ME = "query Me { me { id email } }";

type TrpcBody = {
  result: { data: { id: string } & { id: string }[] };
  error: { data: { error_code: string } };
};

describe.each(databaseBackends)("saved queries on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);
  let ada: Principal;
  let bob: Principal;

  beforeAll(async () => {
    ada = (await createTestUser(db(), "reader")).principal;
    bob = (await createTestUser(db(), "admin")).principal;
  });

  const as = (principal: Principal) => ({ db: db(), principal });

  it("saves, replaces by name, lists and deletes the caller's own queries", async () => {
    const first = await saveQuery({
      ...as(ada),
      input: { name: "  me  ", query: ME, variables: { first: 5 } },
    });
    expect(first).toMatchObject({ name: "me", query: ME, variables: { first: 5 } });

    // The same name again replaces it: one row, same id, new text.
    const replaced = await saveQuery({
      ...as(ada),
      input: { name: "me", query: "{ me { id } }" },
    });
    expect(replaced).toMatchObject({ id: first.id, query: "{ me { id } }", variables: {} });
    await saveQuery({ ...as(ada), input: { name: "datasets", query: "{ datasets { name } }" } });

    const listed = await listSavedQueries(as(ada));
    expect(listed.map((saved) => saved.name)).toEqual(["datasets", "me"]);

    await deleteSavedQuery({ ...as(ada), id: first.id });
    expect((await listSavedQueries(as(ada))).map((saved) => saved.name)).toEqual(["datasets"]);
    expect((await rejection(deleteSavedQuery({ ...as(ada), id: first.id }))).code).toBe(
      "not_found",
    );
  });

  it("keeps each user's queries to themself: another's are unlisted and cannot be deleted, admins included", async () => {
    const adas = await saveQuery({ ...as(ada), input: { name: "mine", query: ME } });
    // The same name is free for another user.
    const bobs = await saveQuery({
      ...as(bob),
      input: { name: "mine", query: "{ datasets { id } }" },
    });
    expect(bobs.id).not.toBe(adas.id);

    expect((await listSavedQueries(as(bob))).map((saved) => saved.id)).toEqual([bobs.id]);
    expect((await listSavedQueries(as(ada))).map((saved) => saved.id)).toContain(adas.id);
    expect((await listSavedQueries(as(ada))).map((saved) => saved.id)).not.toContain(bobs.id);

    // Bob is an admin: still not_found, the same answer as for an id that never existed.
    expect((await rejection(deleteSavedQuery({ ...as(bob), id: adas.id }))).code).toBe("not_found");
    expect((await rejection(deleteSavedQuery({ ...as(bob), id: crypto.randomUUID() }))).code).toBe(
      "not_found",
    );
    expect(await db().prisma.savedQuery.count({ where: { id: adas.id } })).toBe(1);
  });

  it.each([
    ["an empty name", { name: "   ", query: ME }, "name"],
    ["a name over 100 characters", { name: "n".repeat(101), query: ME }, "name"],
    ["an empty query", { name: "empty", query: "  \n " }, "query"],
    ["a query over 100 KB", { name: "big", query: `#${"x".repeat(MAX_QUERY_BYTES)}` }, "query"],
    // 34,134 three-byte characters: under 100 K characters, over 100 KB.
    ["a query over 100 KB in UTF-8", { name: "wide", query: `#${"€".repeat(34_134)}` }, "query"],
    ["variables that are an array", { name: "v", query: ME, variables: [1, 2] }, "variables"],
    ["variables that are a string", { name: "v", query: ME, variables: '{"a":1}' }, "variables"],
    ["an unknown field", { name: "u", query: ME, owner_id: crypto.randomUUID() }, ""],
  ])("refuses %s with a validation error naming the field", async (_name, input, field) => {
    const before = await db().prisma.savedQuery.count();
    const error = await rejection(saveQuery({ ...as(ada), input }));
    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: field })]),
    );
    expect(await db().prisma.savedQuery.count()).toBe(before);
  });

  it("refuses a malformed id as a validation error, not a database error", async () => {
    expect((await rejection(deleteSavedQuery({ ...as(ada), id: "not-a-uuid" }))).code).toBe(
      "validation_failed",
    );
  });

  it("needs the read permission", async () => {
    const noRead: Principal = { ...ada, permissions: new Set() };
    expect((await rejection(listSavedQueries(as(noRead)))).code).toBe("forbidden");
    expect(
      (await rejection(saveQuery({ ...as(noRead), input: { name: "x", query: ME } }))).code,
    ).toBe("forbidden");
  });

  it(`keeps at most ${MAX_SAVED_QUERIES} per user, but still replaces one of them`, async () => {
    const { principal } = await createTestUser(db(), "reader");
    await db().prisma.savedQuery.createMany({
      data: Array.from({ length: MAX_SAVED_QUERIES }, (_, i) => ({
        ownerId: principal.userId,
        name: `q${i}`,
        query: ME,
      })),
    });
    const error = await rejection(
      saveQuery({ ...as(principal), input: { name: "one more", query: ME } }),
    );
    expect(error.code).toBe("conflict");
    expect(error.details).toMatchObject({ reason: "too_many_saved_queries" });
    await expect(
      saveQuery({ ...as(principal), input: { name: "q0", query: "{ me { id } }" } }),
    ).resolves.toMatchObject({ name: "q0", query: "{ me { id } }" });
  });

  it("goes when its owner goes", async () => {
    const { user, principal } = await createTestUser(db(), "reader");
    await saveQuery({ ...as(principal), input: { name: "gone", query: ME } });
    await db().prisma.user.delete({ where: { id: user.id } });
    expect(await db().prisma.savedQuery.count({ where: { ownerId: user.id } })).toBe(0);
  });

  describe("through the tRPC door", () => {
    const call = async (principal: Principal, path: string, input?: unknown) => {
      const cookie = await sessionCookie(principal.userId);
      const headers = { host: "lake.test", origin: "http://lake.test", cookie };
      const url = `http://lake.test/api/trpc/savedQueries.${path}`;
      const response =
        input === undefined
          ? await trpcGet(new Request(url, { headers }))
          : await trpcPost(
              new Request(url, {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify(input),
              }),
            );
      return { status: response.status, body: (await response.json()) as TrpcBody };
    };

    it("saves and lists for the session's user only, and deletes nobody else's", async () => {
      const saved = await call(ada, "save", { name: "door", query: ME, variables: { a: 1 } });
      expect(saved.status).toBe(200);
      const id = saved.body.result.data.id;

      const bobs = await call(bob, "list");
      expect(bobs.body.result.data.map((q) => q.id)).not.toContain(id);

      const refused = await call(bob, "delete", { id });
      expect(refused.status).toBe(404);
      expect(refused.body.error.data.error_code).toBe("not_found");

      const invalid = await call(ada, "save", { name: "", query: ME });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.data.error_code).toBe("validation_failed");

      expect((await call(ada, "delete", { id })).status).toBe(200);
    });
  });
});
