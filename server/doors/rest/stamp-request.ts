import type { IncomingMessage, ServerResponse } from "node:http";

import { CLIENT_IP_HEADER, clientIpOf } from "./client-ip";
import { requestIdFrom } from "./request-id";

/**
 * Before anything handles a request (Next or the direct routes): its id, kept from the caller when
 * safe or made here, on the request and the response; and the client's address under
 * CLIENT_IP_HEADER, replacing whatever the client sent under that name.
 */
export function stampRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { trustProxy: boolean },
): void {
  const requestId = requestIdFrom(req.headers);
  req.headers["x-request-id"] = requestId;
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, options.trustProxy);
  res.setHeader("X-Request-Id", requestId);
}
