import { type DbClient } from "../../db/transaction";
import type { Dataset } from "../../db/generated/client";
import { AppError } from "../../http/app-error";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A dataset by id or by name (API consumers use either); 404 when neither matches. */
export async function findDataset(db: DbClient, ref: string): Promise<Dataset> {
  const dataset = await db.prisma.dataset.findFirst({
    where: UUID.test(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
  });
  if (!dataset) throw new AppError("not_found", `Dataset "${ref}" was not found.`);
  return dataset;
}
