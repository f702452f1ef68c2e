import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import type { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { dataChanges } from "../data-changes";
import {
  createDatasetInputSchema,
  datasetSummary,
  toDatasetView,
  type DatasetView,
} from "./datasets.schemas";
import { requestPayloadIndexUpkeep } from "./payload-index-upkeep";
import { compileDatasetSchema } from "./payload-validator";
import { type ServiceContext } from "../../service-context";

export type CreateDatasetOptions = ServiceContext & {
  /** Needs the "write" permission; becomes the dataset's owner. */
  principal: Principal;
  /** `^[a-z][a-z0-9_-]{1,62}$`, unique: it appears in URLs. */
  name: string;
  /** Up to 500 characters; empty means none. */
  description?: string | null;
  /** "user_data" (owner-only records) when omitted. */
  policy?: "user_data" | "analytics";
  /** A JSON Schema (2020-12) with an object root that every record payload must satisfy. */
  schema?: Record<string, unknown>;
  /** Asks for a GIN index of its payloads for `cs` filters (built in the background); off by default. */
  payloadIndex?: boolean;
};

/** A new, empty dataset owned by the principal. A taken name is a conflict. */
export async function createDataset(options: CreateDatasetOptions): Promise<DatasetView> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = createDatasetInputSchema.safeParse({
    name: options.name,
    description: options.description,
    policy: options.policy,
    schema: options.schema,
    payload_index: options.payloadIndex,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  if (input.schema) compileDatasetSchema(input.schema);

  const dataset = await db.prisma.$transaction(async (tx) => {
    // skipDuplicates turns a taken name into an empty result rather than an error that would
    // abort the transaction, and holds under concurrent creation of the same name.
    const [created] = await tx.dataset.createManyAndReturn({
      data: [
        {
          name: input.name,
          description: input.description ?? null,
          policy: input.policy,
          ownerId: principal.userId,
          jsonSchema: input.schema as Prisma.InputJsonObject | undefined,
          payloadIndex: input.payload_index,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      throw new AppError("conflict", "A dataset with this name already exists.", {
        name: input.name,
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "dataset.create",
        resource: { type: "dataset", id: created.id },
        summary: { after: datasetSummary(created) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return toDatasetView(created, 0);
  });
  await options.cache.changes.mark([dataChanges.datasetList]);
  if (input.payload_index) void requestPayloadIndexUpkeep(options);
  return dataset;
}
