import { type GraphQLResolveInfo } from "graphql";

import { listUncountedDatasets } from "../../../data/datasets/list-datasets";
import { queryRecords } from "../../../data/records/query-records";
import { updateUserData } from "../../../data/records/update-user-data";
import { assertMayReadUserData, type UserProfile } from "../../../users/user-profiles";
import { userIdSchema } from "../../../users/users.schemas";
import { type GraphQLContext } from "../graphql-context";
import { recordConnection, recordQueryOf, type RecordArguments } from "../record-arguments";
import { importJobConnection, type ImportJobArguments } from "./import-resolvers";

type UserData = { user: UserProfile };
type UserDataInput = {
  create?: { dataset: string; payload: unknown }[] | null;
  update?: { id: string; set?: unknown; unset?: string[] | null; ifMatch?: string | null }[] | null;
  delete?: { id: string; ifMatch?: string | null }[] | null;
};

/** The seed's userData: what one user owns, gathered; and `me`. */
export const userResolvers = {
  Query: {
    userData: async (_: unknown, args: { userId: string }, context: GraphQLContext) => {
      const userId = userIdSchema.parse(args.userId);
      assertMayReadUserData(context.services.principal, userId);
      const user = await context.loaders.users.load(userId);
      return user ? { user } : null;
    },
    me: (_: unknown, __: unknown, { services, loaders }: GraphQLContext) =>
      loaders.users.load(services.principal.userId),
  },
  Mutation: {
    updateUserData: async (
      _: unknown,
      args: { userId: string; data: UserDataInput },
      context: GraphQLContext,
    ) => {
      const userId = userIdSchema.parse(args.userId);
      const { create, update, delete: removals } = args.data;
      const changed = await updateUserData({
        ...context.services,
        userId,
        changes: {
          ...(create ? { create } : {}),
          ...(update
            ? {
                update: update.map(({ ifMatch, set, unset, ...change }) => ({
                  ...change,
                  ...(set ? { set } : {}),
                  ...(unset ? { unset } : {}),
                  ...(ifMatch ? { if_match: ifMatch } : {}),
                })),
              }
            : {}),
          ...(removals
            ? {
                delete: removals.map(({ id, ifMatch }) => ({
                  id,
                  ...(ifMatch ? { if_match: ifMatch } : {}),
                })),
              }
            : {}),
        },
      });
      const user = await context.loaders.users.load(userId);
      return user ? { user, changed } : null;
    },
  },
  UserData: {
    records: async (
      { user }: UserData,
      args: RecordArguments,
      { services }: GraphQLContext,
      info: GraphQLResolveInfo,
    ) =>
      recordConnection(
        await queryRecords({ ...services, query: recordQueryOf(args, { owner: user.id }, info) }),
      ),
    datasets: ({ user }: UserData, _: unknown, { services }: GraphQLContext) =>
      listUncountedDatasets({ ...services, ownerId: user.id }),
    importJobs: async (
      { user }: UserData,
      args: ImportJobArguments,
      { services }: GraphQLContext,
    ) => importJobConnection(services, args, user.id),
  },
};
