import { getRecord } from "../../../data/records/get-record";
import { type GraphQLContext } from "../graphql-context";
import { orNull } from "./or-null";

type Reference = { id: string };

/**
 * Federation: how another subgraph's reference to a record, dataset or user becomes ours — by
 * the same services and loaders as any other read, so a reference to what the caller may not see
 * resolves to null.
 */
export const entityResolvers = {
  Record: {
    __resolveReference: ({ id }: Reference, { services }: GraphQLContext) =>
      orNull(getRecord({ ...services, id }).then((found) => found.record)),
  },
  Dataset: {
    __resolveReference: ({ id }: Reference, { loaders }: GraphQLContext) =>
      loaders.datasets.load(id),
  },
  User: {
    __resolveReference: ({ id }: Reference, { loaders }: GraphQLContext) => loaders.users.load(id),
  },
};
