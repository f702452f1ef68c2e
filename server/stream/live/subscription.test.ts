import { describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { type StoredEvent } from "../events/stream-event";
import { mayReceive } from "./subscription";

const reader = {
  userId: "reader",
  roles: ["reader"],
  permissions: new Set(["read"]),
} as unknown as Principal;

const event = (overrides: Partial<StoredEvent>): StoredEvent => ({
  offset: "1",
  topic: "system_metrics",
  partitionKey: "k",
  eventId: "e",
  eventTime: "2026-12-04T10:00:00.000Z",
  storedAt: "2026-12-04T10:00:00.000Z",
  ownerId: "producer",
  policy: "analytics",
  datasetId: null,
  payload: {},
  ...overrides,
});

describe("mayReceive", () => {
  it("gives a user_data event to its owner only", () => {
    expect(mayReceive(reader, event({ policy: "user_data" }))).toBe(false);
    expect(mayReceive(reader, event({ policy: "user_data", ownerId: "reader" }))).toBe(true);
    expect(mayReceive(reader, event({}))).toBe(true);
  });

  it("applies an owner-only dataset's policy to its record changes, not to other topics", () => {
    const change = event({ topic: "records", policy: "analytics", datasetId: "d" });
    expect(mayReceive(reader, change, "user_data")).toBe(false);
    expect(mayReceive(reader, change, "analytics")).toBe(true);
    // Subscribed to that dataset's records and to system_metrics: the metrics stay shared.
    expect(mayReceive(reader, event({}), "user_data")).toBe(true);
  });
});
