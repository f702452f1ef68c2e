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
  ],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
