import { type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";

/** What servicesFor() hands every vector service: the stores, the caller, and the audit trail. */
export type VectorServiceContext = {
  /** The whole database, not a transaction: search needs a pooled connection of its own. */
  db: Database;
  cache: CacheServices["cache"];
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
};
