import { type Principal } from "./auth/principal";
import { cacheServices } from "./cache/client";
import { database } from "./db/client";

/**
 * What every door (REST route, tRPC procedure) hands a service: the process's stores, the caller
 * for policy, and where the call came from for the audit log. One shape, built in one place.
 */
export function servicesFor(caller: {
  principal: Principal;
  ip: string | null;
  requestId: string;
}) {
  return {
    db: database(),
    cache: cacheServices().cache,
    principal: caller.principal,
    ip: caller.ip,
    requestId: caller.requestId,
  };
}
