// The REST routes the custom server answers itself instead of through Next (server/main.ts). They
// are the same route modules Next serves — one definition each — reached without Next's per-request
// work, which bench:rest showed capped the data API at a fraction of a plain node:http server
// (docs/decisions/0008). The tus upload route is here too: Next held each upload chunk (up to
// 50 MB) in memory, where the adapter streams it to the file store (docs/decisions/0009). Pages,
// tRPC, auth, the import jobs' SSE and everything else stay in Next.
import * as me from "@/app/api/v1/lake/me/route";
import * as batch from "@/app/api/v1/lake/batch/route";
import * as data from "@/app/api/v1/lake/data/route";
import * as record from "@/app/api/v1/lake/data/[id]/route";
import * as archive from "@/app/api/v1/lake/data/archive/route";
import * as restore from "@/app/api/v1/lake/data/restore/route";
import * as datasets from "@/app/api/v1/lake/datasets/route";
import * as dataset from "@/app/api/v1/lake/datasets/[id]/route";
import * as upload from "@/app/api/v1/lake/import/[[...path]]/route";

import { type RouteModule } from "./node-route-adapter";

export const directApiRoutes: Record<string, RouteModule> = {
  "/api/v1/lake/me": me,
  "/api/v1/lake/batch": batch,
  "/api/v1/lake/data": data,
  "/api/v1/lake/data/[id]": record,
  "/api/v1/lake/data/archive": archive,
  "/api/v1/lake/data/restore": restore,
  "/api/v1/lake/datasets": datasets,
  "/api/v1/lake/datasets/[id]": dataset,
  "/api/v1/lake/import/[[...path]]": upload,
  // Next's, not the catch-all's: the jobs API (its events are an SSE stream, which the adapter
  // would buffer).
  "/api/v1/lake/import/jobs/[[...path]]": {},
};
