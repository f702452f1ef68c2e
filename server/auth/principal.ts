import type { Permission } from "../db/generated/enums";

export type { Permission };
export const PERMISSIONS = ["read", "write", "delete"] as const satisfies readonly Permission[];

/**
 * Who is asking. Every service takes one explicitly and checks its own policy with it
 * (server/auth/authorize.ts); every door — REST, tRPC, GraphQL, WebSocket — builds one the same way.
 */
export type Principal = {
  userId: string;
  email: string;
  /** Role names, e.g. ["admin"]. */
  roles: string[];
  /**
   * What this principal may do right now: the union of its roles' permissions, narrowed to the
   * key's scopes when it came with an API key.
   */
  permissions: ReadonlySet<Permission>;
  via: "session" | "jwt" | "api_key";
  /** Set when `via` is "api_key": the key's id, for audit and per-key rate limits. */
  apiKeyId?: string;
  /** An API key's own requests-per-hour limit, replacing the route's default. */
  apiKeyRateLimitPerHour?: number;
};

export function isAdmin(principal: Principal): boolean {
  return principal.roles.includes("admin");
}
