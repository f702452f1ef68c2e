import { z } from "zod";

import {
  VectorIndexMethod,
  VectorIndexStatus,
  VectorMetric,
  VectorType,
} from "../db/generated/enums";
import { recordViewSchema } from "../data/records/records.schemas";

/** Every embedding has this many components (the seed's Cortex dimension; the column's type). */
export const VECTOR_DIMENSIONS = 1536;
/** Embeddings per bulk request: 250 × 1536 numbers stay under the 10 MB body limit. */
export const MAX_EMBEDDINGS_PER_REQUEST = 250;
export const MAX_K = 100;
export const MAX_TEXT_LENGTH = 8192;

// pgvector stores float4: a finite double beyond this range would become ±Infinity and fail there.
const FLOAT4_MAX = 3.4028234663852886e38;

export const vectorTypeSchema = z
  .enum(Object.values(VectorType) as [VectorType, ...VectorType[]])
  .describe(
    "What the vector describes: TEXT, IMAGE, AUDIO or CUSTOM. A record has at most one per type.",
  );
export const vectorMetricSchema = z
  .enum(Object.values(VectorMetric) as [VectorMetric, ...VectorMetric[]])
  .describe(
    "cosine (score 1 − distance), l2 (score 1/(1+distance)) or inner_product (score = ⟨a,b⟩).",
  );
export const indexMethodSchema = z
  .enum(Object.values(VectorIndexMethod) as [VectorIndexMethod, ...VectorIndexMethod[]])
  .describe(
    "ivfflat (the default: fast builds, tuned probes) or hnsw (slower builds, better latency).",
  );

/**
 * Exactly 1536 finite numbers. JSON cannot carry NaN or Infinity, but `1e999` parses to Infinity
 * and strings such as "NaN" are not numbers: both are refused here, before any SQL.
 */
export const vectorSchema = z
  .array(
    z.number().refine((value) => Number.isFinite(value) && Math.abs(value) <= FLOAT4_MAX, {
      message: "must be a finite number within float4 range",
    }),
  )
  .length(VECTOR_DIMENSIONS, `must have exactly ${VECTOR_DIMENSIONS} components`)
  .describe(`${VECTOR_DIMENSIONS} finite numbers.`);

const modelSchema = z
  .string()
  .min(1)
  .max(200)
  .describe('The model that produced the vector, e.g. "cortex/text-embedding-3-small".');

const textSchema = z.string().min(1).max(MAX_TEXT_LENGTH);

/** PUT /api/v1/lake/data/{id}/embeddings/{type}: a vector and its model, or text to embed here. */
export const putEmbeddingBodySchema = z.union([
  z.object({ model: modelSchema, vector: vectorSchema }).strict(),
  z
    .object({
      text: textSchema.describe(
        "Embedded by the configured provider (Cortex, or the built-in lexical embedder); its model is recorded.",
      ),
    })
    .strict(),
]);
export type PutEmbeddingBody = z.infer<typeof putEmbeddingBodySchema>;

export const embeddingParamsSchema = z.object({ id: z.uuid(), type: vectorTypeSchema });

/** POST /api/v1/lake/vectors/embeddings: many embeddings on many records, all or nothing. */
export const bulkEmbeddingsBodySchema = z
  .object({
    embeddings: z
      .array(
        z
          .object({
            recordId: z.uuid(),
            type: vectorTypeSchema,
            model: modelSchema,
            vector: vectorSchema,
          })
          .strict(),
      )
      .min(1)
      .max(MAX_EMBEDDINGS_PER_REQUEST)
      .describe(
        `Up to ${MAX_EMBEDDINGS_PER_REQUEST} embeddings; one failure (an unknown or hidden record) writes none.`,
      ),
  })
  .strict();
export type BulkEmbeddingsBody = z.infer<typeof bulkEmbeddingsBodySchema>;

export const searchFilterSchema = z
  .object({
    dataset: z.string().min(1).max(200).optional().describe("Only this dataset (id or name)."),
    where: z
      .record(
        z.string().regex(/^payload\./, "where keys are payload paths: payload.<path>"),
        z.string(),
      )
      .optional()
      .describe(
        'Payload filters in the query syntax of GET /api/v1/lake/data, e.g. { "payload.status": "eq.open" }.',
      ),
    includeArchived: z
      .boolean()
      .default(false)
      .describe("Archived records are left out by default."),
  })
  .strict();

/** POST /api/v1/lake/vectors/search. */
export const searchBodySchema = z
  .object({
    vector: vectorSchema.optional().describe("Search by this vector."),
    text: textSchema.optional().describe("Search by text, embedded by the configured provider."),
    recordId: z
      .uuid()
      .optional()
      .describe("Search by this record's embedding of `type` (the record itself is left out)."),
    type: vectorTypeSchema,
    k: z.number().int().min(1).max(MAX_K).default(10).describe(`How many results (1–${MAX_K}).`),
    metric: vectorMetricSchema.default("cosine"),
    filter: searchFilterSchema.optional(),
    minScore: z.number().optional().describe("Leave out results scoring below this."),
  })
  .strict()
  .refine(
    (body) =>
      [body.vector, body.text, body.recordId].filter((given) => given !== undefined).length === 1,
    { message: "Send exactly one of vector, text or recordId.", path: ["vector"] },
  );
export type SearchBody = z.infer<typeof searchBodySchema>;

/** POST /api/v1/lake/vectors/indexes/tune. */
export const tuneIndexBodySchema = z
  .object({
    type: vectorTypeSchema,
    metric: vectorMetricSchema.default("cosine"),
    method: indexMethodSchema
      .optional()
      .describe("Unset: the index's current method (ivfflat at first)."),
    recallTarget: z
      .number()
      .min(0.5)
      .max(1)
      .optional()
      .describe("recall@10 the tuning must reach (default 0.95, or the index's current target)."),
  })
  .strict();
export type TuneIndexBody = z.infer<typeof tuneIndexBodySchema>;

export const embeddingViewSchema = z.object({
  record_id: z.uuid(),
  type: vectorTypeSchema,
  model: z.string(),
  dimensions: z.number().int(),
  vector: z.array(z.number()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type EmbeddingView = z.infer<typeof embeddingViewSchema>;

export const embeddingListSchema = z.object({ items: z.array(embeddingViewSchema) });

export const bulkEmbeddingsResultSchema = z.object({
  count: z.number().int().describe("Embeddings written (inserted or replaced)."),
});

export const searchResultSchema = z.object({
  results: z
    .array(
      z.object({
        score: z.number().describe("Higher is closer; see `metric`."),
        distance: z.number().describe("pgvector's distance for the metric (<=>, <-> or <#>)."),
        record: recordViewSchema,
      }),
    )
    .describe("Closest first."),
  took_ms: z.number(),
  index: z.object({
    method: z
      .enum(["ivfflat", "hnsw", "exact"])
      .describe("exact: no ANN index for this type and metric (yet), or a small table."),
    used: z
      .boolean()
      .describe("Whether the search ran with the ANN index's settings (false for exact search)."),
    probes: z.number().int().optional(),
    ef_search: z.number().int().optional(),
  }),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const indexStatusSchema = z.object({
  type: vectorTypeSchema,
  metric: vectorMetricSchema,
  method: indexMethodSchema,
  status: z.enum(Object.values(VectorIndexStatus) as [VectorIndexStatus, ...VectorIndexStatus[]]),
  exact: z
    .boolean()
    .describe(
      "True when no ANN index serves this type and metric: search is exact (small tables).",
    ),
  index_name: z.string().nullable(),
  params: z
    .record(z.string(), z.unknown())
    .describe("ivfflat: lists, probes; hnsw: m, ef_construction, ef_search."),
  recall_target: z.number(),
  measured_recall: z
    .number()
    .nullable()
    .describe("recall@10 against exact search at the last build."),
  rows: z.number().int().describe("Embeddings of this type now."),
  rows_at_build: z.number().int(),
  size_bytes: z.number().int().nullable(),
  progress: z.record(z.string(), z.unknown()).describe("{phase, done, total} while building."),
  error: z.string().nullable(),
  built_at: z.string().nullable(),
});
export type IndexStatus = z.infer<typeof indexStatusSchema>;

export const indexStatusListSchema = z.object({ items: z.array(indexStatusSchema) });

export const embeddingCountsSchema = z.object({
  items: z.array(z.object({ type: vectorTypeSchema, count: z.number().int() })),
});
export type EmbeddingCounts = z.infer<typeof embeddingCountsSchema>;
