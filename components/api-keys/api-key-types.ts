import type { inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@/server/doors/trpc/router";

/** A key as the console receives it (dates as ISO strings); `owner` only in the admin list. */
export type ApiKeyRow = inferRouterOutputs<AppRouter>["admin"]["apiKeys"]["list"][number];
