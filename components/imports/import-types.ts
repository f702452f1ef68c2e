import type { ImportFormat, ImportJobView } from "@/server/imports/imports.schemas";

export type { ImportFormat, ImportJobView };

export type ImportStatus = ImportJobView["status"];

export const isTerminal = (status: ImportStatus) =>
  status === "succeeded" || status === "failed" || status === "cancelled";

export const FORMAT_OPTIONS: readonly { value: ImportFormat; label: string }[] = [
  { value: "auto", label: "Detect from the file" },
  { value: "csv", label: "CSV (with a header row)" },
  { value: "ndjson", label: "NDJSON (one JSON object per line)" },
  { value: "json", label: "JSON (an array of objects)" },
];

export const errorReportUrl = (jobId: string) => `/api/v1/lake/import/jobs/${jobId}/errors`;
