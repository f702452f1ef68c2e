import { describe, expect, it } from "vitest";

import { type Permission, type Principal } from "./principal";
import { assertRecordAccess, recordOwnerScope } from "./resource-policy";

const principal = (roles: string[], permissions: Permission[]): Principal => ({
  userId: "11111111-1111-4111-8111-111111111111",
  email: "p@lake.test",
  roles,
  permissions: new Set(permissions),
  via: "session",
});
const reader = principal(["reader"], ["read"]);
const writer = principal(["editor"], ["read", "write"]);
const admin = principal(["admin"], ["read", "write", "delete"]);
const mine = { ownerId: reader.userId };
const theirs = { ownerId: "22222222-2222-4222-8222-222222222222" };

describe("resource policies", () => {
  it("user_data is owner_only for everyone but admins", () => {
    expect(recordOwnerScope(reader, "user_data", "read")).toEqual({ ownerId: reader.userId });
    expect(recordOwnerScope(admin, "user_data", "read")).toEqual({});
    expect(() => assertRecordAccess(reader, "user_data", "read", mine)).not.toThrow();
    expect(() => assertRecordAccess(reader, "user_data", "read", theirs)).toThrow(
      expect.objectContaining({ code: "not_found" }),
    );
    expect(() => assertRecordAccess(admin, "user_data", "delete", theirs)).not.toThrow();
  });

  it("analytics is role_based: the permission decides, not the owner", () => {
    expect(recordOwnerScope(reader, "analytics", "read")).toEqual({});
    expect(() => assertRecordAccess(reader, "analytics", "read", theirs)).not.toThrow();
    expect(() => assertRecordAccess(writer, "analytics", "write", theirs)).not.toThrow();
  });

  it("always needs the role permission first: 403, not 404", () => {
    for (const policy of ["user_data", "analytics"] as const) {
      expect(() => recordOwnerScope(reader, policy, "write")).toThrow(
        expect.objectContaining({ code: "forbidden" }),
      );
      expect(() => assertRecordAccess(writer, policy, "delete", mine)).toThrow(
        expect.objectContaining({ code: "forbidden" }),
      );
    }
  });
});
