import { selectEmbeddingRows } from "../embeddings/embeddings.queries";
import { projectResults, type Projection } from "../project-results";
import { embeddingProvider } from "../providers/configured-provider";
import { embedText } from "../providers/embedding-provider";
import { type SearchResult } from "../vectors.schemas";
import { searchVectors, type SearchVectorsOptions } from "./search-vectors";

/**
 * The console's search: the results and, beside them, their 2-D projection with the query
 * placed on it. A text is embedded once, here, and searched as that vector — so the scatter plot
 * shows exactly the point that was searched, and a Cortex provider is called once, not twice.
 */
export async function searchAndProject(
  options: SearchVectorsOptions,
): Promise<SearchResult & { projection: Projection }> {
  let search = options.search;
  let queryVector = search.vector;
  if (search.text !== undefined) {
    const provider =
      options.provider === undefined ? embeddingProvider() : (options.provider ?? undefined);
    queryVector = (await embedText(provider, search.text)).vector;
    search = { ...search, text: undefined, vector: queryVector };
  }
  const result = await searchVectors({ ...options, search });
  if (search.recordId !== undefined) {
    // searchVectors has checked the record is the caller's to read and has this embedding.
    const [row] = await selectEmbeddingRows(options.db, search.recordId, search.type);
    queryVector = row?.vector;
  }
  const projection = await projectResults({
    db: options.db,
    principal: options.principal,
    type: search.type,
    recordIds: result.results.map((hit) => hit.record.id),
    queryVector,
  });
  return { ...result, projection };
}
