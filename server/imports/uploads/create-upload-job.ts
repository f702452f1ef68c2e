import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { findDataset } from "../../data/datasets/find-dataset";
import { type Database } from "../../db/client";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { assertStorableInput } from "../../input/storable-input";
import { toImportOptions, uploadMetadataSchema } from "../imports.schemas";
import { lockAndCountUploadsInFlight } from "../imports.queries";

/**
 * Registers an upload as it is created (tus `onUploadCreate`), before any byte is stored: the
 * metadata is validated (400), the dataset must exist (400), and the principal may have at most
 * LAKE_IMPORT_MAX_CONCURRENT_UPLOADS unfinished uploads (429). The count and the insert run under
 * a per-principal advisory lock, so parallel creations cannot slip past the limit together.
 */
export async function createUploadJob(options: {
  db: Database;
  principal: Principal;
  uploadId: string;
  size: number | undefined;
  metadata: Record<string, string | null | undefined>;
}): Promise<{ jobId: string }> {
  const { db, principal } = options;
  authorize(principal, "write");
  const fields = Object.fromEntries(
    Object.entries(options.metadata).map(([key, value]) => [key, value ?? ""]),
  );
  assertStorableInput(fields, ["metadata"]);
  const metadata = uploadMetadataSchema.parse(fields);
  const dataset = await findDataset(db, metadata.dataset).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") {
      throw new AppError("validation_failed", `Dataset "${metadata.dataset}" was not found.`, [
        { path: "dataset", message: "no such dataset", code: "not_found" },
      ]);
    }
    throw error;
  });
  const limit = env().LAKE_IMPORT_MAX_CONCURRENT_UPLOADS;
  const job = await db.prisma.$transaction(async (tx) => {
    const inFlight = await lockAndCountUploadsInFlight(tx, principal.userId);
    if (inFlight >= limit) {
      throw new AppError(
        "rate_limited",
        `At most ${limit} uploads may be in flight at once; finish or cancel one first.`,
        { limit, in_flight: inFlight },
        { "Retry-After": "30" },
      );
    }
    return tx.importJob.create({
      data: {
        ownerId: principal.userId,
        datasetId: dataset.id,
        uploadId: options.uploadId,
        filename: metadata.filename ?? metadata.name ?? null,
        format: metadata.format,
        options: toImportOptions(metadata),
        bytesTotal: options.size ?? null,
      },
    });
  });
  return { jobId: job.id };
}
