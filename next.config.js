// Runtime configuration is read by server/env.ts when the process starts, not baked into the
// build, so one build runs against any database or Redis (docs/decisions/0001-one-process.md).

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native, WASM or process-wide packages stay plain Node requires instead of being bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "@electric-sql/pglite-socket",
    "@node-rs/argon2",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@prisma/schema-engine-wasm",
    "bullmq",
    "ioredis",
    "pg",
    "pino",
    "prom-client",
    // Loaded once from node_modules rather than bundled into every route that uses them: the
    // Lake's own server has them loaded already, and Next's route chunks each carried a copy
    // (zod in 19 of them, gRPC in three), ~30 MB of heap at start (docs/decisions/0009).
    "zod",
    "@grpc/grpc-js",
    "@grpc/proto-loader",
    "protobufjs",
    "avsc",
    "graphql",
    "graphql-yoga",
    "@opentelemetry/api",
    "lru-cache",
    "cockatiel",
  ],
  typescript: { ignoreBuildErrors: false },
  experimental: {
    // Next loads every route's modules at start by default. Most of the API is served by the
    // Lake's own server without Next (rest-routes.ts, `direct`), so those were loaded for nothing:
    // ~30–45 MB of an idle server's resident memory (docs/decisions/0009). A route's modules now
    // load at its first request.
    preloadEntriesOnStart: false,
  },
};

export default nextConfig;
