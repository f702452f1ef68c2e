import DataLoader from "dataloader";

import { listDatasets } from "../../data/datasets/list-datasets";
import { type DatasetView } from "../../data/datasets/datasets.schemas";
import { type ServiceContext } from "../../service-context";
import { getUserProfiles, type UserProfile } from "../../users/user-profiles";

/**
 * What every resolver gets: the caller's ServiceContext (the same services REST and tRPC call)
 * and, per request, loaders that gather the lookups of one level of the query into one call — a
 * page of 50 records asks for its datasets and owners once, not 50 times each.
 */
export type GraphQLContext = {
  services: ServiceContext;
  loaders: {
    datasets: DataLoader<string, DatasetView | null>;
    users: DataLoader<string, UserProfile | null>;
  };
};

export function createLoaders(services: ServiceContext): GraphQLContext["loaders"] {
  return {
    datasets: new DataLoader(async (ids) => {
      const views = await listDatasets({ ...services, ids });
      const byId = new Map(views.map((view) => [view.id, view]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    users: new DataLoader((ids) => getUserProfiles({ ...services, ids })),
  };
}
