/**
 * The delimiters a CSV import may use. A module of its own, without zod: the import's source
 * thread reads it, and importing it from imports.schemas.ts loaded zod and the data API's schemas
 * into every such thread (~7 MB resident, docs/decisions/0009).
 */
export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
