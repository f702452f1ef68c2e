import { type Principal } from "../auth/principal";
import { servicesFor } from "../services";
import { clientIpFrom } from "./client-ip";

/** servicesFor, from a route handler's input. */
export function serviceContext(input: {
  request: Request;
  requestId: string;
  principal: Principal;
}) {
  return servicesFor({
    principal: input.principal,
    ip: clientIpFrom(input.request.headers),
    requestId: input.requestId,
  });
}
