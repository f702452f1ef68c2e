import { type GraphQLResolveInfo } from "graphql";

import { authorize } from "../../../auth/authorize";
import { getDataset } from "../../../data/datasets/get-dataset";
import { listUncountedDatasets } from "../../../data/datasets/list-datasets";
import { archiveCriteriaSchema } from "../../../data/records/archive.schemas";
import { getRecord } from "../../../data/records/get-record";
import { queryRecords } from "../../../data/records/query-records";
import { parseSelection } from "../../../data/records/query/parse-selection";
import { pickPayloadPaths } from "../../../data/records/query/project-record";
import { recordIdSchema, type RecordView } from "../../../data/records/records.schemas";
import { setArchived } from "../../../data/records/set-archived";
import { type GraphDataset, type GraphQLContext } from "../graphql-context";
import { recordConnection, recordQueryOf, type RecordArguments } from "../record-arguments";
import { orNull } from "./or-null";

type ArchiveCriteriaInput = {
  dataset: string;
  createdAfter?: string | null;
  createdBefore?: string | null;
  filter?: unknown;
  ids?: string[] | null;
};

/** The REST archive criteria, from the GraphQL input (its camelCase names). */
const archiveCriteriaOf = (input: ArchiveCriteriaInput) =>
  archiveCriteriaSchema.parse({
    dataset: input.dataset,
    created_after: input.createdAfter ?? undefined,
    created_before: input.createdBefore ?? undefined,
    filter: input.filter ?? undefined,
    ids: input.ids ?? undefined,
  });

async function archive(input: ArchiveCriteriaInput, context: GraphQLContext, archived: boolean) {
  authorize(context.services.principal, "write");
  return setArchived({ ...context.services, criteria: archiveCriteriaOf(input), archived });
}

/** Records, datasets, and archiving: the data API's reads and its archive, by the same services. */
export const dataResolvers = {
  Query: {
    record: (_: unknown, args: { id: string }, { services }: GraphQLContext) =>
      orNull(getRecord({ ...services, id: recordIdSchema.parse(args.id) }).then((r) => r.record)),
    records: async (
      _: unknown,
      args: RecordArguments,
      { services }: GraphQLContext,
      info: GraphQLResolveInfo,
    ) =>
      recordConnection(await queryRecords({ ...services, query: recordQueryOf(args, {}, info) })),
    datasets: (_: unknown, __: unknown, { services }: GraphQLContext) =>
      listUncountedDatasets(services),
    dataset: (_: unknown, args: { ref: string }, { services }: GraphQLContext) =>
      orNull(getDataset({ ...services, datasetRef: args.ref })),
  },
  Mutation: {
    archiveData: (_: unknown, args: { criteria: ArchiveCriteriaInput }, context: GraphQLContext) =>
      archive(args.criteria, context, true),
    restoreData: (_: unknown, args: { criteria: ArchiveCriteriaInput }, context: GraphQLContext) =>
      archive(args.criteria, context, false),
  },
  Record: {
    dataset: (record: RecordView, _: unknown, { loaders }: GraphQLContext) =>
      loaders.datasets.load(record.dataset_id),
    owner: (record: RecordView, _: unknown, { loaders }: GraphQLContext) =>
      loaders.users.load(record.owner_id),
    payload: (record: RecordView, args: { paths?: string[] | null }) => {
      if (!args.paths) return record.payload;
      // The REST `select` parser checks the paths, so both doors accept the same ones.
      const { payload } = parseSelection(args.paths.map((path) => `payload.${path}`).join(","));
      return Array.isArray(payload) ? pickPayloadPaths(record.payload, payload) : record.payload;
    },
  },
  Dataset: {
    owner: (dataset: GraphDataset, _: unknown, { loaders }: GraphQLContext) =>
      loaders.users.load(dataset.owner_id),
    // Counting reads every visible record of the dataset: only when asked, batched.
    recordCount: (dataset: GraphDataset, _: unknown, { loaders }: GraphQLContext) =>
      dataset.record_count ?? loaders.recordCounts.load(dataset),
    // Batched: a list of datasets asks for all their pages in one statement.
    records: async (
      dataset: GraphDataset,
      args: RecordArguments,
      { loaders }: GraphQLContext,
      info: GraphQLResolveInfo,
    ) => recordConnection(await loaders.recordPages(recordQueryOf(args, {}, info)).load(dataset)),
  },
};
