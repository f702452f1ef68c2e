import { router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { dataRouter } from "./routers/data";
import { importsRouter } from "./routers/imports";
import { overviewRouter } from "./routers/overview";
import { realtimeRouter } from "./routers/realtime";
import { savedQueriesRouter } from "./routers/saved-queries";
import { systemRouter } from "./routers/system";
import { vectorsRouter } from "./routers/vectors";

export const appRouter = router({
  system: systemRouter,
  overview: overviewRouter,
  account: accountRouter,
  admin: adminRouter,
  data: dataRouter,
  imports: importsRouter,
  vectors: vectorsRouter,
  realtime: realtimeRouter,
  savedQueries: savedQueriesRouter,
});

/** The console imports this type only; no server code reaches the browser. */
export type AppRouter = typeof appRouter;
