import { DateTime } from "@/components/ui/date-time";
import { Table } from "@/components/ui/table";

import type { WindowSeries } from "./realtime-types";
import { seriesLabel } from "./series-csv";

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** Every point of every group, newest first. */
export function SeriesTable({ data }: { data: WindowSeries }) {
  const rows = data.series
    .flatMap((series) =>
      series.points.map((point) => ({ ...point, group: seriesLabel(series.group) })),
    )
    .sort((a, b) => b.t.localeCompare(a.t) || a.group.localeCompare(b.group));
  return (
    <Table caption={`${data.function} of ${data.rule} per ${data.step_seconds} s`}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Group</th>
          <th scope="col">{data.function}</th>
          <th scope="col">Events</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.t} ${row.group}`}>
            <td>
              <DateTime value={row.t} />
            </td>
            <td>{row.group}</td>
            <td>{row.value === null ? "—" : number.format(row.value)}</td>
            <td>{number.format(row.count)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
