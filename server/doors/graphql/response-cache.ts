import { createHash } from "node:crypto";

import { type Cache as ResponseStore, useResponseCache } from "@envelop/response-cache";
import stableStringify from "fast-json-stable-stringify";
import { type ExecutionArgs, type ExecutionResult } from "graphql";
import { type Plugin } from "graphql-yoga";

import { isAdmin, type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { logger } from "../../observability/logger";
import { type CacheScope } from "./cache-dependencies";
import { answeredByRecordCache } from "./record-cache-answers";

/** Seconds an analytics answer may be served from the cache: window aggregates carry no mark. */
const ANALYTICS_TTL_SECONDS = 10;

type CachedResponse = { result: ExecutionResult; tick: number; dependsOn: string[] };

type CachingContext = {
  services: { principal: Principal; cache: CacheServices };
  responseCache: CacheScope;
};

/**
 * Whose answer a response is: the user, their roles and this credential's permissions (an API key
 * may hold fewer). Two callers share an entry only when every rule in the services would show
 * them the same thing, since the rules read nothing else.
 */
export function visibilityOf(principal: Principal): string {
  const roles = [...principal.roles].sort().join(",");
  const permissions = [...principal.permissions].sort().join(",");
  return `${principal.userId}|${roles}|${permissions}|${isAdmin(principal) ? "admin" : ""}`;
}

/**
 * The entries of one operation's execution, in the Lake's cache (Redis, or in-process). An entry
 * keeps the change clock's tick read before its operation ran, and the marks it depends on
 * (cache-dependencies.ts); a hit is served only while none of those marks is newer — whichever
 * instance made the change, since writers mark the shared clock before they answer.
 */
function responseStore({ services, responseCache: scope }: CachingContext): ResponseStore {
  const { cache, changes } = services.cache;
  const keyOf = (responseId: string) => `gql:${responseId}`;
  return {
    async get(responseId) {
      const entry = await cache.get<CachedResponse>(keyOf(responseId));
      if (entry) {
        const latest = await changes.latest(entry.dependsOn);
        if (latest !== undefined && latest <= entry.tick) return entry.result;
      }
      // Before the operation runs: a change that commits while it runs is newer than this tick.
      scope.tickBefore ??= await changes.now();
      return undefined;
    },
    set(responseId, result, _entities, ttlMs) {
      if (!scope.cacheable || scope.tickBefore === undefined) return;
      const entry: CachedResponse = {
        result,
        tick: scope.tickBefore,
        dependsOn: [...scope.dependsOn],
      };
      // Not awaited by the plugin: a cache that failed to store costs a later miss, nothing more.
      return cache.set(keyOf(responseId), entry, ttlMs / 1000).catch((error: unknown) => {
        logger().warn({ err: error }, "graphql response cache: an entry could not be stored");
      });
    },
    // The writers mark what they change on the change clock (server/data/data-changes.ts), so a
    // mutation's answer needs no invalidation of its own here.
    invalidate() {},
  };
}

/**
 * The response cache (envelop's): an operation's result under its document, operation name,
 * variables and the caller's visibility, for `ttlSeconds` at most; never a subscription, a
 * mutation, a result with errors, or one that read something no change mark covers. Each result
 * says in `extensions.responseCache` whether it was a hit.
 */
export function useGraphQLResponseCache(ttlSeconds: number) {
  const responseCache = useResponseCache<CachingContext>({
    enabled: (context) => ttlSeconds > 0 && !context.responseCache.servedByServices,
    session: (context) => visibilityOf(context.services.principal),
    // The plugin's own key hashes with WebCrypto, asynchronously: several % of a cheap query's CPU.
    buildResponseCacheKey: ({ documentString, operationName, variableValues, sessionId }) =>
      createHash("sha256")
        .update(documentString)
        .update(
          `|${operationName ?? ""}|${stableStringify(variableValues ?? {})}|${sessionId ?? ""}`,
        )
        .digest("base64url"),
    cache: (context) => responseStore(context as CachingContext),
    ttl: ttlSeconds * 1000,
    ttlPerSchemaCoordinate: {
      "Query.analytics": Math.min(ttlSeconds, ANALYTICS_TTL_SECONDS) * 1000,
    },
    shouldCacheResult: ({ result }) => !result.errors?.length,
    includeExtensionMetadata: true,
  });
  // Runs before the cache's own onExecute, which asks `enabled` (once per request).
  const stepAside: Plugin<CachingContext> = {
    onExecute({ args }) {
      const { document, operationName } = args as ExecutionArgs;
      if (answeredByRecordCache(document, operationName)) {
        args.contextValue.responseCache.servedByServices = true;
      }
    },
  };
  return [stepAside, responseCache] as const;
}
