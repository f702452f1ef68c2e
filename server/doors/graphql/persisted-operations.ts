import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { GraphQLError } from "graphql";
import { type Plugin } from "graphql-yoga";
import { z } from "zod";

import { type Cache } from "../../cache/cache";

/** How long a registered query is kept (each use does not extend it; a miss re-registers). */
const APQ_TTL_SECONDS = 7 * 24 * 3600;
/** Apollo's clients resend the query when they see exactly this message. */
export const PERSISTED_QUERY_NOT_FOUND = "PersistedQueryNotFound";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const persistedQuerySchema = z.object({
  version: z.literal(1),
  sha256Hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A trusted-documents manifest: `{ "<sha256 of the document>": "<document>" }`. */
export function loadTrustedDocuments(file: string): Map<string, string> {
  const manifest = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(file, "utf8")));
  for (const [hash, document] of Object.entries(manifest)) {
    if (sha256(document) !== hash)
      throw new Error(`${file}: ${hash} is not the sha256 of its document.`);
  }
  return new Map(Object.entries(manifest));
}

const refuse = (message: string, code: string, status: number): never => {
  throw new GraphQLError(message, { extensions: { code, http: { status } } });
};

/**
 * Persisted operations. By default, automatic persisted queries (Apollo's APQ protocol): a
 * client sends `extensions.persistedQuery.sha256Hash` without the query; an unknown hash is a
 * `PersistedQueryNotFound` error, the client sends both, the Lake checks the hash and keeps the
 * query in the cache services (Redis: shared by every instance). With a trusted-documents
 * manifest (LAKE_GRAPHQL_TRUSTED_DOCUMENTS), only its documents run — sent by hash (APQ's
 * extension) or in full — and nothing is registered.
 */
export function usePersistedOperations(options: {
  cache: () => Cache;
  trusted?: Map<string, string>;
}): Plugin {
  const { trusted } = options;
  const key = (hash: string) => `graphql:apq:${hash}`;
  return {
    async onParams({ params, setParams }) {
      const extension = (params.extensions as { persistedQuery?: unknown } | undefined)
        ?.persistedQuery;
      const documentId = (params as { documentId?: unknown }).documentId;
      let hash: string | undefined;
      if (extension !== undefined) {
        const parsed = persistedQuerySchema.safeParse(extension);
        if (!parsed.success)
          refuse(
            "persistedQuery needs version 1 and a sha256Hash (64 hex digits).",
            "bad_request",
            400,
          );
        hash = parsed.data!.sha256Hash;
      } else if (typeof documentId === "string") {
        hash = documentId.replace(/^sha256:/, "");
      }

      if (trusted) {
        const query =
          hash !== undefined
            ? trusted.get(hash)
            : params.query && trusted.get(sha256(params.query)) && params.query;
        if (!query)
          refuse(
            "Only the trusted documents run here: send one of them (or its hash).",
            "forbidden",
            403,
          );
        setParams({ ...params, query: query! });
        return;
      }
      if (hash === undefined) return;
      if (params.query) {
        if (sha256(params.query) !== hash)
          refuse("The persistedQuery hash is not the sha256 of the query.", "bad_request", 400);
        await options.cache().set(key(hash), params.query, APQ_TTL_SECONDS);
        return;
      }
      const query = await options.cache().get<string>(key(hash));
      // Not an error of the request: the client answers it by sending the query with its hash.
      if (query === undefined) refuse(PERSISTED_QUERY_NOT_FOUND, "not_found", 200);
      setParams({ ...params, query });
    },
  };
}
