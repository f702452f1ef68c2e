import { type VectorType } from "../../db/generated/enums";
import { AppError } from "../../errors/app-error";
import { embeddingProvider } from "../providers/configured-provider";
import { embedText, type EmbeddingProvider } from "../providers/embedding-provider";
import { type EmbeddingView, type PutEmbeddingBody } from "../vectors.schemas";
import { toEmbeddingView } from "./embedding-view";
import { selectEmbeddingRows } from "./embeddings.queries";
import { upsertEmbeddings } from "./upsert-embeddings";
import { type ServiceContext } from "../../service-context";

/**
 * PUT one embedding on a record: a vector with its model, or a text the configured provider
 * embeds (its model is recorded). Same rules as the bulk write; answers what was stored.
 */
export async function putEmbedding(
  options: ServiceContext & {
    recordId: string;
    type: VectorType;
    body: PutEmbeddingBody;
    /** Default: the process's provider. */
    provider?: EmbeddingProvider | null;
  },
): Promise<EmbeddingView> {
  const { body } = options;
  const provider =
    options.provider === undefined ? embeddingProvider() : (options.provider ?? undefined);
  const { vector, model } = "text" in body ? await embedText(provider, body.text) : body;
  await upsertEmbeddings({
    ...options,
    items: [{ recordId: options.recordId, type: options.type, model, vector }],
  });
  const [row] = await selectEmbeddingRows(options.db, options.recordId, options.type);
  // Deleted between the write's commit and this read (a concurrent DELETE of it or its record;
  // the fuzz suite found it): what this request wrote is gone, which the caller should know.
  if (!row) {
    throw new AppError(
      "conflict",
      "The embedding was deleted by another request as it was written; read the record again.",
    );
  }
  return toEmbeddingView(row);
}
