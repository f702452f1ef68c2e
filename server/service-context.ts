import { type Principal } from "./auth/principal";
import { type CacheServices } from "./cache/cache-services";
import { cacheServices } from "./cache/client";
import { database, type Database } from "./db/client";
import { type DbClient } from "./db/transaction";

/** Who calls a service, and from where, for policy and the audit log. */
export type Caller = {
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * What every service takes, whichever door it was called through (REST route, tRPC procedure,
 * GraphQL resolver, gRPC method, WebSocket handler, a worker): the process's stores and the caller.
 * Services that can join a caller's transaction take `ServiceContext<DbClient>`.
 */
export type ServiceContext<Db extends DbClient = Database> = Caller & {
  db: Db;
  /** Cache, pub/sub, rate limits and the job queue: Redis, or their in-process fallbacks. */
  cache: CacheServices;
};

/** The one builder of a ServiceContext, used by every door. */
export function serviceContext(caller: Caller): ServiceContext {
  return {
    db: database(),
    cache: cacheServices(),
    principal: caller.principal,
    ip: caller.ip ?? null,
    requestId: caller.requestId ?? null,
  };
}
