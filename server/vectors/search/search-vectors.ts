import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { recordOwnerScope } from "../../auth/resource-policy";
import { findDataset } from "../../data/datasets/find-dataset";
import { parseRecordQuery } from "../../data/records/query/parse-record-query";
import {
  buildRecordConditionsSql,
  type RecordQueryScope,
} from "../../data/records/query/record-query.queries";
import { loadAccessibleRecord } from "../../data/records/record-access";
import { toRecordView } from "../../data/records/records.schemas";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { selectEmbeddingRows } from "../embeddings/embeddings.queries";
import { annSettingsOf, findIndexState } from "../indexes/index-state";
import { scoreOf } from "../metrics";
import { embeddingProvider } from "../providers/configured-provider";
import { embedText, type EmbeddingProvider } from "../providers/embedding-provider";
import { vectorCache } from "../vector-cache";
import { type SearchBody, type SearchResult } from "../vectors.schemas";
import { runSearchSql, type AnnSettings } from "./run-search-sql";
import { searchPipeline, type SearchPipeline } from "./search-pipeline";
import { buildSearchSql, type SearchRow } from "./search.queries";
import { type ServiceContext } from "../../service-context";

/**
 * An index search fetches this many candidates per result and keeps the nearest k. Filtered
 * searches through iterative scans come back in relaxed order, a list at a time: with k
 * candidates the true nearest matching rows were often in a list not yet scanned (7 of 10 in the
 * filtered test of search-vectors.int.test.ts); with 4k they are found (10 of 10).
 */
const ANN_CANDIDATES_PER_RESULT = 4;

export type SearchVectorsOptions = Omit<ServiceContext, "ip" | "requestId"> & {
  search: SearchBody;
  /** Default: the process's provider (embeddingProvider()); `null`: none configured. */
  provider?: EmbeddingProvider | null;
  /** Default: the process's bulkhead. */
  pipeline?: SearchPipeline;
  /** Tests and benchmarks only: take the ANN index even where the planner would scan. */
  forceIndex?: boolean;
};

type Cached = Omit<SearchResult, "took_ms">;

/**
 * Similarity search over one vector type: by a vector, a text (through the embedding provider) or
 * an existing record's embedding. Who may see what is decided inside the SQL — the dataset's
 * policy when one is given, else the caller's own records plus analytics datasets (admins: all) —
 * and archived records are left out unless asked for. Dataset-scoped searches are cached under
 * the dataset's and the embeddings' versions; searches across datasets are not (their answer
 * depends on every dataset's records).
 */
export async function searchVectors(options: SearchVectorsOptions): Promise<SearchResult> {
  const started = performance.now();
  const { db, principal, search } = options;
  authorize(principal, "read");
  const provider =
    options.provider === undefined ? embeddingProvider() : (options.provider ?? undefined);
  if (search.text !== undefined && !provider) await embedText(undefined, search.text);

  const filter = search.filter;
  let scope: RecordQueryScope = {};
  let visibleTo: string | undefined;
  let cacheScope: { datasetId: string; owner: string } | undefined;
  if (filter?.dataset !== undefined) {
    const dataset = await findDataset(db, filter.dataset);
    const owner = recordOwnerScope(principal, dataset.policy, "read");
    scope = { datasetId: dataset.id, ...owner };
    cacheScope = { datasetId: dataset.id, owner: "ownerId" in owner ? owner.ownerId : "all" };
  } else if (!isAdmin(principal)) {
    visibleTo = principal.userId;
  }
  const query = parseRecordQuery(
    new URLSearchParams({
      ...filter?.where,
      archived: filter?.includeArchived ? "all" : "false",
    }),
  );

  let vector = search.vector;
  if (search.recordId !== undefined) {
    // The policy's 404 for another owner's record comes first, then "no embedding of this type".
    await loadAccessibleRecord({ db, principal, id: search.recordId, permission: "read" });
    const [row] = await selectEmbeddingRows(db, search.recordId, search.type);
    if (!row) {
      throw new AppError("not_found", `The record has no ${search.type} embedding.`, {
        record_id: search.recordId,
        type: search.type,
      });
    }
    vector = row.vector;
  }

  const cache = vectorCache(options.cache);
  const key = cacheScope
    ? await cache.searchKey(cacheScope.datasetId, cacheScope.owner, {
        ...search,
        model: search.text !== undefined ? provider?.model : undefined,
      })
    : undefined;
  const hit = key ? await cache.get<Cached>(key) : undefined;
  if (hit) return { ...hit, took_ms: elapsed(started) };

  if (search.text !== undefined) vector = (await embedText(provider, search.text)).vector;
  if (search.metric === "cosine" && vector!.every((value) => value === 0)) {
    throw new AppError(
      "bad_request",
      "A zero vector has no direction: cosine search needs another.",
      {
        parameter: "vector",
      },
    );
  }
  const records = buildRecordConditionsSql(query, scope);
  const found = await (options.pipeline ?? searchPipeline()).run(async () => {
    const state = await findIndexState(db, search.type, search.metric);
    const ann = annSettingsOf(state);
    const sql = (exact: boolean) =>
      buildSearchSql({
        type: search.type,
        metric: search.metric,
        vector: vector!,
        k: search.k,
        records,
        visibleTo,
        excludeRecordId: search.recordId,
        exact,
        candidates: exact ? search.k : search.k * ANN_CANDIDATES_PER_RESULT,
      });
    const run = (exact: boolean) =>
      runSearchSql(db, sql(exact), {
        ann: exact ? { method: "exact" } : ann,
        k: search.k,
        timeoutMs: env().LAKE_VECTOR_SEARCH_TIMEOUT_MS,
        forceIndex: options.forceIndex,
      });
    let rows = await run(ann.method === "exact");
    let used = ann.method !== "exact";
    // Iterative scans stop at their own limits (hnsw.max_scan_tuples): should an ANN pass come
    // back short, an exact pass settles whether k records exist. It also answers the rare
    // filter that matches fewer than k, where the exact scan is cheap anyway.
    if (used && rows.length < search.k) {
      rows = await run(true);
      used = false;
    }
    return { rows, ann, used };
  });

  const result: Cached = {
    results: found.rows
      // A stored zero vector has no cosine distance (NaN): it is close to nothing.
      .filter((row) => Number.isFinite(row.distance))
      .map((row: SearchRow) => ({
        score: scoreOf(search.metric, row.distance),
        distance: row.distance,
        record: toRecordView(row),
      }))
      .filter((item) => search.minScore === undefined || item.score >= search.minScore),
    index: indexInfo(found.ann, found.used),
  };
  if (key) await cache.put(key, result);
  return { ...result, took_ms: elapsed(started) };
}

function indexInfo(ann: AnnSettings, used: boolean): SearchResult["index"] {
  switch (ann.method) {
    case "ivfflat":
      return { method: "ivfflat", used, probes: ann.probes };
    case "hnsw":
      return { method: "hnsw", used, ef_search: ann.efSearch };
    case "exact":
      return { method: "exact", used: false };
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;
