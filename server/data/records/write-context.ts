import { type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { type DbClient } from "../../db/transaction";

/** What every record service is called with: who asks, through which stores, for the audit trail. */
export type RecordServiceContext = {
  /** The client, or the transaction of a batch this write is part of. */
  db: DbClient;
  cache: CacheServices["cache"];
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
};
