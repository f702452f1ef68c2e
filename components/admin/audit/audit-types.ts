import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@/server/doors/trpc/router";

export type AuditEntry = inferRouterOutputs<AppRouter>["admin"]["audit"]["list"]["items"][number];
export type AuditFilter = NonNullable<
  inferRouterInputs<AppRouter>["admin"]["audit"]["list"]["filter"]
>;
