import { describe, expect, it } from "vitest";

import { jobDataOf, withQueuingTrace } from "./job-span";

describe("a job's stored data", () => {
  it("comes back whole from its envelope, and as it is from a job stored bare before", () => {
    const data = { importId: "a", lakeJob: "not the marker" };
    expect(jobDataOf(withQueuingTrace(data))).toEqual(data);
    expect(jobDataOf(data)).toEqual(data);
    expect(jobDataOf("plain")).toBe("plain");
    expect(jobDataOf(null)).toBeNull();
  });

  it("carries no trace context when nothing was being traced", () => {
    expect(withQueuingTrace({ n: 1 })).toEqual({ lakeJob: 1, data: { n: 1 } });
  });
});
