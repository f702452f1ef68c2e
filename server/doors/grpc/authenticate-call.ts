import { type Metadata } from "@grpc/grpc-js";

import { authenticateRequest } from "../../auth/authenticate-request";
import { authorize } from "../../auth/authorize";
import { type Permission, type Principal } from "../../auth/principal";
import { cacheServices } from "../../cache/client";
import { database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { consumeRateLimit, streamRateLimit } from "../rate-limits";

/**
 * A gRPC call's caller, by the function every door uses: `authorization: Bearer <token or key>`
 * or `x-api-key` in the metadata (never the console's cookie), then the permission and the stream
 * rate limit — one unit per call, and per batch on a stream (`chargeRateLimit`).
 */
export async function authenticateCall(
  metadata: Metadata,
  peer: string,
  permission: Permission,
  options: { charge: boolean } = { charge: true },
): Promise<Principal> {
  const headers = new Headers();
  for (const name of ["authorization", "x-api-key"]) {
    const [value] = metadata.get(name);
    if (typeof value === "string") headers.set(name, value);
  }
  const principal = await authenticateRequest({ db: database(), headers, ip: peerIp(peer) });
  if (!principal) {
    throw new AppError(
      "unauthorized",
      "Authentication required: send `authorization: Bearer <token>` or `x-api-key` metadata.",
    );
  }
  authorize(principal, permission);
  if (options.charge) await chargeRateLimit(principal);
  return principal;
}

export async function chargeRateLimit(principal: Principal): Promise<void> {
  await consumeRateLimit({ cache: cacheServices(), principal, rule: streamRateLimit });
}

/** "ipv4:127.0.0.1:5123" / "ipv6:[::1]:5123" → the address. */
export function peerIp(peer: string): string {
  const address = peer.replace(/^ipv[46]:/, "");
  const bracketed = /^\[(.*)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1]!;
  return address.replace(/:\d+$/, "");
}
