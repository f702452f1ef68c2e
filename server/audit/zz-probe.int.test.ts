import { it } from "vitest";
import { useTestDatabase } from "/work/main/server/testing/test-database";
const db = useTestDatabase({});
it("probe", async () => {
  for (const action of ["a_b", "axb", "a%b", "a\\b", "a\\_b"]) {
    await db().prisma.auditLog.create({ data: { action, actorType: "x", resourceType: "x" } });
  }
  for (const p of ["a_", "a%", "a\\_", "a\\%", "a\\\\", "a\\"]) {
    const rows = await db().prisma.auditLog.findMany({ where: { action: { startsWith: p } } });
    console.log(JSON.stringify(p), rows.map((r) => r.action));
  }
});
