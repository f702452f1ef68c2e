import { describe, expect, it } from "vitest";

import type { AppError } from "../../errors/app-error";
import { connectionSlots } from "./connection-slots";

const refusedWith = (take: () => unknown) => {
  try {
    take();
  } catch (error) {
    return (error as AppError).code;
  }
  return "taken";
};

describe("connection slots", () => {
  it("caps per principal (429) and per instance (503), and gives each slot back once", () => {
    const slots = connectionSlots({ perInstance: 3, perPrincipal: 2 });
    const a1 = slots.acquire("a");
    slots.acquire("a");
    expect(refusedWith(() => slots.acquire("a"))).toBe("rate_limited");
    slots.acquire("b");
    expect(refusedWith(() => slots.acquire("c"))).toBe("service_unavailable");
    expect(refusedWith(() => slots.assertRoom())).toBe("service_unavailable");

    a1();
    a1();
    expect(slots.open()).toBe(2);
    expect(refusedWith(() => slots.acquire("a"))).toBe("taken");
    expect(refusedWith(() => slots.acquire("a"))).toBe("service_unavailable");
  });
});
