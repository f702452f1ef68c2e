import type { IncomingMessage } from "node:http";

import { authenticateRequest } from "../../auth/authenticate-request";
import { type Principal } from "../../auth/principal";
import { database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { clientIpOf } from "../rest/client-ip";
import { isSameOrigin } from "../rest/request-origin";
import { upgradeCredentials } from "./upgrade-credentials";

export type UpgradeCaller = {
  principal: Principal;
  /** The credential headers, kept to check the principal again while the socket is open. */
  credentials: Headers;
  ip: string;
};

export type AuthenticateUpgradeOptions = {
  request: IncomingMessage;
  trustProxy: boolean;
  /** LAKE_PUBLIC_URL: an Origin equal to it is this site's even when Host says otherwise. */
  publicUrl?: string;
};

/**
 * Who opens a WebSocket, decided before the protocol switches, by the function every door uses
 * (Bearer JWT or API key, X-API-Key, or the console's session cookie; a `lake.bearer.`
 * subprotocol counts as Bearer). A cookie rides along on any page's handshake, cross-site ones
 * included, and the browser does not enforce CORS on WebSockets: an upgrade authenticated by the
 * cookie must come from a page of this site (cross-site WebSocket hijacking).
 */
export async function authenticateUpgrade(
  options: AuthenticateUpgradeOptions,
): Promise<UpgradeCaller> {
  const { request, trustProxy } = options;
  const credentials = upgradeCredentials(request);
  const ip = clientIpOf(request, trustProxy);
  const principal = await authenticateRequest({ db: database(), headers: credentials, ip });
  if (!principal) {
    throw new AppError(
      "unauthorized",
      "Authentication required: send a Bearer token or an API key, or offer it as the lake.bearer.<credential> subprotocol.",
    );
  }
  if (principal.via === "session" && !isSameOrigin(request, options)) {
    throw new AppError("forbidden", "Cross-site WebSocket refused.", { reason: "csrf" });
  }
  return { principal, credentials, ip };
}
