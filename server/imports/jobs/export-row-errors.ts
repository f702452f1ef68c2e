import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { loadAccessibleJob } from "./job-access";

const PAGE = 1000;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The error report of an import as CSV (`line,column,reason`), streamed page by page in line
 * order, so a report of ten thousand rows never sits in memory whole.
 */
export async function exportRowErrors(options: {
  db: Database;
  principal: Principal;
  id: string;
}): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { db } = options;
  const job = await loadAccessibleJob({ ...options, permission: "read" });
  const encoder = new TextEncoder();
  let after: { line: bigint; id: bigint } | undefined;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode("line,column,reason\r\n"));
        return;
      }
      const rows = await db.prisma.importRowError.findMany({
        where: {
          jobId: job.id,
          ...(after
            ? { OR: [{ line: { gt: after.line } }, { line: after.line, id: { gt: after.id } }] }
            : {}),
        },
        orderBy: [{ line: "asc" }, { id: "asc" }],
        take: PAGE,
      });
      if (rows.length === 0) return controller.close();
      const last = rows.at(-1)!;
      after = { line: last.line, id: last.id };
      const text = rows
        .map((row) => `${row.line},${csvField(row.column ?? "")},${csvField(row.reason)}\r\n`)
        .join("");
      controller.enqueue(encoder.encode(text));
    },
  });
  return { filename: `import-${job.id}-errors.csv`, body };
}
