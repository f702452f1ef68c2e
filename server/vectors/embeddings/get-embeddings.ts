import { type VectorType } from "../../db/generated/enums";
import { loadAccessibleRecord } from "../../data/records/record-access";
import { AppError } from "../../errors/app-error";
import { type EmbeddingView } from "../vectors.schemas";
import { toEmbeddingView } from "./embedding-view";
import { selectEmbeddingRows } from "./embeddings.queries";
import { type ServiceContext } from "../../service-context";

/**
 * A record's embeddings, under the record's read rules (another owner's user_data record is a
 * 404). With `type`, that one embedding, or a 404 when the record has none of that type.
 */
export async function getEmbeddings(
  options: Pick<ServiceContext, "db" | "principal"> & { recordId: string; type?: VectorType },
): Promise<EmbeddingView[]> {
  await loadAccessibleRecord({ ...options, id: options.recordId, permission: "read" });
  const rows = await selectEmbeddingRows(options.db, options.recordId, options.type);
  if (options.type !== undefined && rows.length === 0) {
    throw new AppError("not_found", `The record has no ${options.type} embedding.`);
  }
  return rows.map(toEmbeddingView);
}
