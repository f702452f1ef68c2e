import type { WebSocket } from "ws";

import { authenticateRequest } from "../../auth/authenticate-request";
import { database } from "../../db/client";
import { toAppError } from "../../errors/to-app-error";
import { type UpgradeCaller } from "./authenticate-upgrade";

/** Policy violation: the credential the socket was opened with no longer holds. */
export const CLOSE_CREDENTIAL_INVALID = 1008;

const streamNotice = (socket: WebSocket, refusal: { code: string; message: string }) =>
  socket.send(
    JSON.stringify({ type: "error", error_code: refusal.code, message: refusal.message }),
  );

const credentialKey = (credentials: Headers) =>
  ["authorization", "x-api-key", "cookie"].map((name) => credentials.get(name) ?? "").join("\n");

/**
 * Authenticates every open socket's credential again, with the same function as at the upgrade,
 * and closes those it now refuses: a revoked, expired or rotated-out key, an expired token, a
 * disabled user, a session ended by a password change. Sockets sharing a credential share one
 * check, and checks run one after another, so a sweep holds one database connection at a time.
 * A failure that is not the credential's (the database is down) leaves the socket open.
 */
export async function recheckConnections(
  connections: Map<WebSocket, UpgradeCaller>,
  /** What a socket is told before it is closed; the stream's protocol by default. */
  notify: (socket: WebSocket, refusal: { code: string; message: string }) => void = streamNotice,
) {
  const groups = new Map<string, WebSocket[]>();
  for (const [socket, caller] of connections) {
    const key = credentialKey(caller.credentials);
    groups.set(key, [...(groups.get(key) ?? []), socket]);
  }
  for (const sockets of groups.values()) {
    const caller = connections.get(sockets[0]!);
    if (!caller) continue;
    let refusal: { code: string; message: string } | undefined;
    try {
      const principal = await authenticateRequest({
        db: database(),
        headers: caller.credentials,
        ip: caller.ip,
      });
      if (principal) {
        // Roles may have changed since the upgrade: later messages see them as they are now.
        for (const socket of sockets) {
          const current = connections.get(socket);
          if (current) current.principal = principal;
        }
      } else refusal = { code: "unauthorized", message: "Authentication required." };
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "unauthorized" || error.code === "forbidden") refusal = error;
    }
    if (!refusal) continue;
    for (const socket of sockets) {
      notify(socket, refusal);
      socket.close(CLOSE_CREDENTIAL_INVALID, "credential no longer valid");
    }
  }
}
