import { createRequire } from "node:module";

import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// Unit tests (`*.test.ts`) need nothing; integration tests (`*.int.test.ts`) run against the
// embedded PostgreSQL and in-process fallbacks, and also against DATABASE_URL / REDIS_URL when set.
export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Node loads graphql-yoga's `graphql` as CommonJS (graphql 16 has no "exports"), where Vite
    // would give our files its ESM build: two copies, and "Cannot use GraphQLObjectType from
    // another module or realm". One copy for both, as in the server's build.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Request logs would drown the report; LOG_LEVEL=info npm test shows them.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
  },
});
