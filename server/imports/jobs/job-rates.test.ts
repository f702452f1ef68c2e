import { describe, expect, it } from "vitest";

import { jobRates } from "./job-rates";

describe("jobRates", () => {
  it("takes validation's ETA from the bytes left at the byte rate", () => {
    const rates = jobRates({
      stage: "validate",
      seconds: 4,
      rows: 20_000,
      rowsTotal: 0,
      bytesRead: 25_000_000,
      bytesTotal: 100_000_000,
    });
    expect(rates).toEqual({ rowsPerSecond: 5_000, bytesPerSecond: 6_250_000, etaSeconds: 12 });
  });

  it("knows no ETA or byte rate while validating without the worker's position", () => {
    const rates = jobRates({
      stage: "validate",
      seconds: 2,
      rows: 10,
      rowsTotal: 0,
      bytesTotal: 1e6,
    });
    expect(rates).toEqual({ rowsPerSecond: 5, bytesPerSecond: null, etaSeconds: null });
  });

  it("takes load's ETA from the accepted rows left at the row rate", () => {
    const rates = jobRates({
      stage: "load",
      seconds: 10,
      rows: 30_000,
      rowsTotal: 90_000,
      bytesTotal: 5e6,
    });
    expect(rates).toEqual({ rowsPerSecond: 3_000, bytesPerSecond: null, etaSeconds: 20 });
  });

  it("has no ETA before the first row, and never a negative one", () => {
    expect(
      jobRates({ stage: "load", seconds: 0, rows: 0, rowsTotal: 10, bytesTotal: null }),
    ).toMatchObject({ rowsPerSecond: 0, etaSeconds: null });
    expect(
      jobRates({ stage: "transform", seconds: 1, rows: 12, rowsTotal: 10, bytesTotal: null }),
    ).toMatchObject({ etaSeconds: 0 });
  });
});
