import { router } from "./init";
import { systemRouter } from "./routers/system";

export const appRouter = router({
  system: systemRouter,
});

/** The console imports this type only; no server code reaches the browser. */
export type AppRouter = typeof appRouter;
