import type { IncomingMessage, ServerResponse } from "node:http";

import { CLIENT_IP_HEADER, clientIpOf } from "./client-ip";
import { requestIdFrom } from "./request-id";
import { applySecurityHeaders, type SecurityHeaderOptions } from "./security-headers";

/**
 * Before anything handles a request (Next or the direct routes): its id, kept from the caller when
 * safe or made here, on the request and the response; and the client's address under
 * CLIENT_IP_HEADER, replacing whatever the client sent under that name; and the security headers
 * (CSP, framing, sniffing, referrer, HSTS over https), the one place they are set.
 */
export function stampRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: SecurityHeaderOptions,
): void {
  const requestId = requestIdFrom(req.headers);
  req.headers["x-request-id"] = requestId;
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, options.trustProxy);
  res.setHeader("X-Request-Id", requestId);
  applySecurityHeaders(req, res, options);
}
