import { defineConfig } from "vitest/config";

// Unit tests (`*.test.ts`) need nothing; integration tests (`*.int.test.ts`) run against the
// embedded PostgreSQL and in-process fallbacks, and also against DATABASE_URL / REDIS_URL when set.
export default defineConfig({
  resolve: { tsconfigPaths: true },
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
