import { z } from "zod";

import { getImportJob } from "../../../imports/jobs/get-import-job";
import { authorize } from "../../../auth/authorize";
import { AppError } from "../../../errors/app-error";
import { listImportJobs } from "../../../imports/jobs/list-import-jobs";
import { startImportJob } from "../../../imports/jobs/start-import-job";
import { importInlineRows } from "../../../imports/uploads/import-inline-rows";
import { type ImportJobView } from "../../../imports/imports.schemas";
import { type ServiceContext } from "../../../service-context";
import { type GraphQLContext } from "../graphql-context";
import { orNull } from "./or-null";

type ImportInput = {
  uploadId?: string | null;
  dataset?: string | null;
  rows?: unknown[] | null;
  options?: unknown;
};

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
  Mutation: {
    importData: async (_: unknown, args: { input: ImportInput }, { services }: GraphQLContext) => {
      const { uploadId, ...inline } = args.input;
      authorize(services.principal, "write");
      if ((uploadId ? 1 : 0) + (inline.rows ? 1 : 0) !== 1) {
        throw new AppError(
          "validation_failed",
          "Send exactly one of uploadId, or dataset with rows.",
        );
      }
      const job = uploadId
        ? await startImportJob({ ...services, uploadId })
        : await importInlineRows({
            ...services,
            input: Object.fromEntries(Object.entries(inline).filter(([, value]) => value != null)),
          });
      return { job };
    },
  },
  ImportJob: {
    dataset: (job: ImportJobView, _: unknown, { loaders }: GraphQLContext) =>
      loaders.datasets.load(job.dataset_id),
  },
};
