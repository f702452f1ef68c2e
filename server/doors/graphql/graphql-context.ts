import DataLoader from "dataloader";

import { countVisibleRecords } from "../../data/datasets/count-visible-records";
import {
  listUncountedDatasets,
  type UncountedDatasetView,
} from "../../data/datasets/list-datasets";
import { queryRecordsPerDataset, type QueryRecordsResult } from "../../data/records/query-records";
import { type RecordQuery } from "../../data/records/query/record-query.schemas";
import { type ServiceContext } from "../../service-context";
import { getUserProfiles, type UserProfile } from "../../users/user-profiles";
import { type CacheScope } from "./cache-dependencies";

/**
 * What every resolver gets: the caller's ServiceContext (the same services REST and tRPC call)
 * and, per request, loaders that gather the lookups of one level of the query into one call — a
 * page of 50 records asks for its datasets and owners once, not 50 times each.
 */
/** A dataset as resolvers see it: counted by REST's services, or counted on demand here. */
export type GraphDataset = UncountedDatasetView & { record_count?: number };

export type GraphQLContext = {
  services: ServiceContext;
  loaders: {
    datasets: DataLoader<string, GraphDataset | null>;
    /** Records each dataset holds that the caller may see: asked only when `recordCount` is. */
    recordCounts: DataLoader<GraphDataset, number, string>;
    users: DataLoader<string, UserProfile | null>;
    /** Pages of records of datasets, for one query: every dataset's page in one statement. */
    recordPages(query: RecordQuery): DataLoader<GraphDataset, QueryRecordsResult, string>;
  };
  /** What the response depends on, for the response cache (cache-dependencies.ts). */
  responseCache: CacheScope;
};

export function createLoaders(services: ServiceContext): GraphQLContext["loaders"] {
  const recordPages = new Map<string, DataLoader<GraphDataset, QueryRecordsResult, string>>();
  return {
    datasets: new DataLoader(async (ids) => {
      const views = await listUncountedDatasets({ ...services, ids });
      const byId = new Map(views.map((view) => [view.id, view]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    recordCounts: new DataLoader(
      async (datasets) => {
        const counts = await countVisibleRecords(services.db.prisma, services.principal, datasets);
        return datasets.map((dataset) => counts.get(dataset.id) ?? 0);
      },
      { cacheKeyFn: (dataset) => dataset.id },
    ),
    users: new DataLoader((ids) => getUserProfiles({ ...services, ids })),
    recordPages: (query) => {
      const key = JSON.stringify(query);
      let loader = recordPages.get(key);
      if (!loader) {
        loader = new DataLoader(
          (datasets) => queryRecordsPerDataset({ ...services, query, datasets }),
          { cacheKeyFn: (dataset) => dataset.id },
        );
        recordPages.set(key, loader);
      }
      return loader;
    },
  };
}
