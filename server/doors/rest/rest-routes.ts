// Every REST route of the Lake, by its pattern in Next's file-route syntax. The handlers are
// defined here, on the server side; each `app/**/route.ts` only re-exports its module, so Next
// and the custom server serve the same functions (rest-routes.test.ts holds the two together).
import * as graphql from "../graphql/graphql-route";
import * as alertRule from "./routes/alert-rule";
import * as alertRuleTransitions from "./routes/alert-rule-transitions";
import * as alertRules from "./routes/alert-rules";
import * as analyticsImports from "./routes/analytics-imports";
import * as analyticsRecords from "./routes/analytics-records";
import * as analyticsSeries from "./routes/analytics-series";
import * as auditExport from "./routes/audit-export";
import * as authToken from "./routes/auth-token";
import * as batch from "./routes/batch";
import * as data from "./routes/data";
import * as dataArchive from "./routes/data-archive";
import * as dataExport from "./routes/data-export";
import * as dataRecord from "./routes/data-record";
import * as dataRestore from "./routes/data-restore";
import * as dataset from "./routes/dataset";
import * as datasets from "./routes/datasets";
import * as health from "./routes/health";
import * as importJob from "./routes/import-job";
import * as importJobCancel from "./routes/import-job-cancel";
import * as importJobErrors from "./routes/import-job-errors";
import * as importJobEvents from "./routes/import-job-events";
import * as importJobRetry from "./routes/import-job-retry";
import * as importJobs from "./routes/import-jobs";
import * as importUploads from "./routes/import-uploads";
import * as me from "./routes/me";
import * as metrics from "./routes/metrics";
import * as notFound from "./routes/not-found";
import * as openApiDocument from "./routes/openapi-document";
import * as ready from "./routes/ready";
import * as recordEmbedding from "./routes/record-embedding";
import * as recordEmbeddings from "./routes/record-embeddings";
import * as stream from "./routes/stream";
import * as streamEvents from "./routes/stream-events";
import * as vectorEmbeddings from "./routes/vector-embeddings";
import * as vectorIndexTune from "./routes/vector-index-tune";
import * as vectorIndexes from "./routes/vector-indexes";
import * as vectorSearch from "./routes/vector-search";
import * as webhook from "./routes/webhook";
import * as webhookDeliveries from "./routes/webhook-deliveries";
import * as webhooks from "./routes/webhooks";
import * as windowRule from "./routes/window-rule";
import * as windowRuleRecompute from "./routes/window-rule-recompute";
import * as windowRuleWindows from "./routes/window-rule-windows";
import * as windowRules from "./routes/window-rules";
import { type RouteModule } from "./node-route-adapter";

export type RestRoute = {
  module: RouteModule;
  /**
   * Answered by the custom server itself, beside Next (server/main.ts): the data API's hot routes,
   * where bench:rest showed Next's per-request work was the limit (docs/decisions/0008), and the
   * tus uploads, whose chunks (up to 50 MB) Next held in memory where the adapter streams them
   * (docs/decisions/0009). Everything else — pages, tRPC, auth, SSE — stays in Next.
   */
  direct?: boolean;
};

export const restRoutes: Record<string, RestRoute> = {
  "/health": { module: health },
  "/ready": { module: ready },
  "/metrics": { module: metrics },
  "/api/v1/lake/[...path]": { module: notFound },
  "/api/v1/lake/openapi.json": { module: openApiDocument },
  "/api/v1/lake/auth/token": { module: authToken },
  "/api/v1/lake/me": { module: me, direct: true },
  "/api/v1/lake/batch": { module: batch, direct: true },
  "/api/v1/lake/data": { module: data, direct: true },
  "/api/v1/lake/data/[id]": { module: dataRecord, direct: true },
  "/api/v1/lake/data/archive": { module: dataArchive, direct: true },
  "/api/v1/lake/data/export": { module: dataExport, direct: true },
  "/api/v1/lake/data/restore": { module: dataRestore, direct: true },
  "/api/v1/lake/data/[id]/embeddings": { module: recordEmbeddings },
  "/api/v1/lake/data/[id]/embeddings/[type]": { module: recordEmbedding },
  "/api/v1/lake/datasets": { module: datasets, direct: true },
  "/api/v1/lake/datasets/[id]": { module: dataset, direct: true },
  "/api/v1/lake/import/[[...path]]": { module: importUploads, direct: true },
  "/api/v1/lake/import/jobs": { module: importJobs },
  "/api/v1/lake/import/jobs/[id]": { module: importJob },
  "/api/v1/lake/import/jobs/[id]/cancel": { module: importJobCancel },
  "/api/v1/lake/import/jobs/[id]/errors": { module: importJobErrors },
  "/api/v1/lake/import/jobs/[id]/events": { module: importJobEvents },
  "/api/v1/lake/import/jobs/[id]/retry": { module: importJobRetry },
  "/api/v1/lake/graphql": { module: graphql, direct: true },
  "/api/v1/lake/stream": { module: stream, direct: true },
  "/api/v1/lake/stream/events": { module: streamEvents, direct: true },
  "/api/v1/lake/vectors/embeddings": { module: vectorEmbeddings },
  "/api/v1/lake/vectors/indexes": { module: vectorIndexes },
  "/api/v1/lake/vectors/indexes/tune": { module: vectorIndexTune },
  "/api/v1/lake/vectors/search": { module: vectorSearch },
  "/api/v1/lake/windows/rules": { module: windowRules },
  "/api/v1/lake/windows/rules/[rule]": { module: windowRule },
  "/api/v1/lake/windows/rules/[rule]/windows": { module: windowRuleWindows },
  "/api/v1/lake/windows/rules/[rule]/recompute": { module: windowRuleRecompute },
  "/api/v1/lake/alerts/rules": { module: alertRules },
  "/api/v1/lake/analytics/series": { module: analyticsSeries },
  "/api/v1/lake/analytics/records": { module: analyticsRecords },
  "/api/v1/lake/analytics/imports": { module: analyticsImports },
  "/api/v1/lake/alerts/rules/[rule]": { module: alertRule },
  "/api/v1/lake/alerts/rules/[rule]/transitions": { module: alertRuleTransitions },
  "/api/v1/lake/alerts/webhooks": { module: webhooks },
  "/api/v1/lake/alerts/webhooks/[webhook]": { module: webhook },
  "/api/v1/lake/alerts/webhooks/[webhook]/deliveries": { module: webhookDeliveries },
  "/api/v1/lake/audit/export": { module: auditExport },
};

/**
 * The methods of every route under /api, by pattern: the REST table's, and those of the doors
 * whose libraries answer in Next (tRPC, next-auth). The custom server refuses other methods and
 * other /api paths in the envelope before Next sees them (refuse-unroutable.ts).
 */
export function apiRouteMethods(): Record<string, readonly string[]> {
  const library = { GET: true, POST: true };
  const modules: Record<string, object> = {
    ...restRouteModules(),
    "/api/trpc/[trpc]": library,
    "/api/auth/[...nextauth]": library,
  };
  return Object.fromEntries(
    Object.entries(modules).map(([pattern, module]) => [pattern, Object.keys(module)]),
  );
}

/** Every REST route's module, by pattern. */
export function restRouteModules(): Record<string, RouteModule> {
  return Object.fromEntries(
    Object.entries(restRoutes).map(([pattern, route]) => [pattern, route.module]),
  );
}

/**
 * The table the custom server answers from. The import jobs' paths fall under the upload route's
 * catch-all, so they are listed with no handlers: Next's (their events are an SSE stream, which
 * the adapter would buffer).
 */
export function directApiRoutes(): Record<string, RouteModule> {
  const direct = Object.entries(restRoutes).filter(([, route]) => route.direct);
  return {
    ...Object.fromEntries(direct.map(([pattern, route]) => [pattern, route.module])),
    "/api/v1/lake/import/jobs/[[...path]]": {},
  };
}
