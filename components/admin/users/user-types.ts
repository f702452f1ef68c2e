import type { inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@/server/doors/trpc/router";

type Outputs = inferRouterOutputs<AppRouter>;

/** A user as the console receives it (dates as ISO strings). */
export type UserRow = Outputs["admin"]["users"]["list"]["items"][number];
export type RoleRow = Outputs["admin"]["roles"]["list"][number];
