import { describe, expect, it } from "vitest";

import { seriesCsv, seriesLabel } from "./series-csv";

describe("a series as CSV", () => {
  it("has a row per point with the group's keys, quoting what needs it", () => {
    const csv = seriesCsv({
      rule: "r",
      function: "avg",
      step_seconds: 60,
      from: "2026-12-05T00:00:00.000Z",
      to: "2026-12-05T00:02:00.000Z",
      series: [
        {
          group: { "payload.host": 'db "1", east' },
          points: [
            { t: "2026-12-05T00:00:00.000Z", value: 1.5, count: 2 },
            { t: "2026-12-05T00:01:00.000Z", value: null, count: 0 },
          ],
        },
      ],
    });
    expect(csv).toBe(
      'time,payload.host,avg,count\n2026-12-05T00:00:00.000Z,"db ""1"", east",1.5,2\n2026-12-05T00:01:00.000Z,"db ""1"", east",,0\n',
    );
    expect(seriesLabel({})).toBe("all");
    expect(seriesLabel({ a: "x", b: 2 })).toBe("x · 2");
  });
});
