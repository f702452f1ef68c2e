import { type Principal } from "../auth/principal";
import { cacheServices } from "../cache/client";
import { serviceContext } from "../http/request-services";
import { type ImportServiceContext } from "./cancel-import-job";

/**
 * servicesFor, for the import services: they need the whole cache services (pub/sub for progress
 * and cancels, the queue), not only the cache.
 */
export function importContext(input: {
  request: Request;
  requestId: string;
  principal: Principal;
}): ImportServiceContext {
  const { db, principal, ip, requestId } = serviceContext(input);
  return { db, principal, ip, requestId, cache: cacheServices() };
}
