import { z } from "zod";

/** The most text a saved operation may hold, in UTF-8 bytes. */
export const MAX_QUERY_BYTES = 100 * 1024;
/** The variables' JSON is bounded like the query: what the editor holds, not a data store. */
export const MAX_VARIABLES_BYTES = 100 * 1024;
/** Saved queries per user: enough for a working set, and a bound on what one user can store. */
export const MAX_SAVED_QUERIES = 200;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

export const savedQueryInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the query a name.").max(100),
    query: z
      .string()
      .refine((text) => text.trim().length > 0, "The query is empty.")
      .refine((text) => utf8Bytes(text) <= MAX_QUERY_BYTES, "The query is longer than 100 KB."),
    variables: z
      .record(z.string(), z.unknown())
      .default({})
      .refine(
        (value) => utf8Bytes(JSON.stringify(value)) <= MAX_VARIABLES_BYTES,
        "The variables are larger than 100 KB.",
      )
      .describe("The variables editor's JSON object."),
  })
  .strict();
export type SavedQueryInput = z.input<typeof savedQueryInputSchema>;

export const savedQueryParams = z.object({ id: z.uuid() }).strict();

export type SavedQueryView = {
  id: string;
  name: string;
  query: string;
  variables: Record<string, unknown>;
  created_at: string;
  updated_at: string;
};
