import type { WindowSeries } from "./realtime-types";

const cell = (value: unknown) => {
  const text =
    value === null || value === undefined
      ? ""
      : typeof value === "string"
        ? value
        : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The series as CSV: one row per point, the group's keys as columns. */
export function seriesCsv(data: WindowSeries): string {
  const keys = [...new Set(data.series.flatMap((series) => Object.keys(series.group)))];
  const rows = [["time", ...keys, data.function, "count"].map(cell).join(",")];
  for (const series of data.series) {
    for (const point of series.points) {
      rows.push(
        [point.t, ...keys.map((key) => series.group[key]), point.value, point.count]
          .map(cell)
          .join(","),
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

/** A label for a series: its group's values, or "all" for the merged series. */
export const seriesLabel = (group: Record<string, unknown>) =>
  Object.values(group).map(String).join(" · ") || "all";
