import { env } from "../env";

/**
 * The backends integration suites run on: always the embedded default (in memory), and also the
 * real servers when DATABASE_URL / REDIS_URL are set (CI sets both).
 */
export const databaseBackends: { name: "embedded" | "server"; url?: string }[] = [
  { name: "embedded" },
  ...(env().DATABASE_URL ? [{ name: "server" as const, url: env().DATABASE_URL }] : []),
];

export const redisBackends: { name: "memory" | "redis"; url?: string }[] = [
  { name: "memory" },
  ...(env().REDIS_URL ? [{ name: "redis" as const, url: env().REDIS_URL }] : []),
];
