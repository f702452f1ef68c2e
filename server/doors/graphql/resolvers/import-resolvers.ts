import { z } from "zod";

import { getImportJob } from "../../../imports/jobs/get-import-job";
import { listImportJobs } from "../../../imports/jobs/list-import-jobs";
import { type ImportJobView } from "../../../imports/imports.schemas";
import { type ServiceContext } from "../../../service-context";
import { type GraphQLContext } from "../graphql-context";
import { orNull } from "./or-null";

const importJobArgumentsSchema = z.object({
  first: z.number().int().min(1).max(100).default(20),
  after: z.string().nullish(),
});
export type ImportJobArguments = z.input<typeof importJobArgumentsSchema>;

/** A page of import jobs (the caller's own, everyone's for admins, or one owner's). */
export async function importJobConnection(
  services: ServiceContext,
  args: ImportJobArguments,
  owner?: string,
) {
  const { first, after } = importJobArgumentsSchema.parse(args);
  const page = await listImportJobs({
    ...services,
    owner,
    limit: first,
    cursor: after ?? undefined,
  });
  return {
    nodes: page.items,
    pageInfo: { hasNextPage: page.next_cursor !== null, endCursor: page.next_cursor },
  };
}

/** Imports: one job's progress, and the history. */
export const importResolvers = {
  Query: {
    importJob: (_: unknown, args: { id: string }, { services }: GraphQLContext) =>
      orNull(getImportJob({ ...services, id: z.uuid().parse(args.id) })),
    importJobs: (_: unknown, args: ImportJobArguments, { services }: GraphQLContext) =>
      importJobConnection(services, args),
  },
  ImportJob: {
    dataset: (job: ImportJobView, _: unknown, { loaders }: GraphQLContext) =>
      loaders.datasets.load(job.dataset_id),
  },
};
