import { type Principal } from "../auth/principal";
import { cacheServices } from "../cache/client";
import { database } from "../db/client";
import { clientIpFrom } from "./client-ip";

/** What a route hands a service: the process's stores and the caller, for policy and audit. */
export function serviceContext(input: {
  request: Request;
  requestId: string;
  principal: Principal;
}) {
  return {
    db: database(),
    cache: cacheServices().cache,
    principal: input.principal,
    ip: clientIpFrom(input.request.headers),
    requestId: input.requestId,
  };
}
