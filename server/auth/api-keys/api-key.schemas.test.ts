import { describe, expect, it } from "vitest";

import type { ApiKey } from "../../db/generated/client";
import { createApiKeyInputSchema, toApiKeyView } from "./api-key.schemas";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const PAST = new Date("2026-05-01T00:00:00.000Z");
const FUTURE = new Date("2026-07-01T00:00:00.000Z");

function row(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: "6f1c1b1e-6a43-4c59-9a39-7f1e1d0b6b11",
    userId: "0d3b1a57-9d36-4b7c-8a8e-3f6f0c1a2b3c",
    name: "ci",
    prefix: "dpl_0123456789ab",
    hash: "f".repeat(64),
    scopes: ["read"],
    expiresAt: FUTURE,
    revokedAt: null,
    graceUntil: null,
    rotatedToId: null,
    lastUsedAt: null,
    lastUsedIp: null,
    rateLimitPerHour: null,
    createdAt: PAST,
    ...overrides,
  };
}

describe("toApiKeyView", () => {
  it("never carries the hash", () => {
    const view = toApiKeyView(row(), NOW);
    expect(view).not.toHaveProperty("hash");
    expect(JSON.stringify(view)).not.toContain("f".repeat(64));
  });

  it.each([
    ["active", {}],
    ["active", { expiresAt: null }],
    ["expired", { expiresAt: NOW }],
    ["rotated", { graceUntil: FUTURE }],
    ["rotated", { graceUntil: PAST, expiresAt: PAST }],
    ["revoked", { revokedAt: PAST, graceUntil: FUTURE, expiresAt: PAST }],
  ] as const)("is %s for %o", (status, overrides) => {
    expect(toApiKeyView(row(overrides), NOW).status).toBe(status);
  });
});

describe("createApiKeyInputSchema", () => {
  it("trims the name and puts scopes in a canonical, duplicate-free order", () => {
    expect(
      createApiKeyInputSchema.parse({ name: "  ci  ", scopes: ["delete", "read", "delete"] }),
    ).toEqual({ name: "ci", scopes: ["read", "delete"] });
  });

  it.each([
    ["an empty name", { name: " ", scopes: ["read"] }],
    ["a name over 100 characters", { name: "x".repeat(101), scopes: ["read"] }],
    ["no scopes", { name: "ci", scopes: [] }],
    ["an unknown scope", { name: "ci", scopes: ["admin"] }],
    ["a zero expiry", { name: "ci", scopes: ["read"], expiresInDays: 0 }],
    ["an expiry over ten years", { name: "ci", scopes: ["read"], expiresInDays: 3651 }],
    ["a fractional expiry", { name: "ci", scopes: ["read"], expiresInDays: 1.5 }],
  ])("rejects %s", (_, input) => {
    expect(createApiKeyInputSchema.safeParse(input).success).toBe(false);
  });
});
