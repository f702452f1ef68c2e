import { z } from "zod";

import { apiRoute } from "../api-route";
import { AppError } from "../../../errors/app-error";
import { getImportJob } from "../../../imports/jobs/get-import-job";
import { importRateLimit } from "../../rate-limits";
import { tusServer } from "../../tus/tus-server";
import { tusResponse } from "../../tus/tus-response";
import { isUuid } from "../../../input/uuid";

const ENDPOINT = "/api/v1/lake/import/[[...path]]";

/** tus 1.0 (creation, creation-with-upload, termination, expiration): README "Imports". */
const tus = apiRoute({
  endpoint: ENDPOINT,
  door: "tus",
  permission: "write",
  rateLimit: importRateLimit,
  handler: async ({ request, principal }) => tusResponse(request, principal),
});

/** `GET /import/{job id}`: the job's progress (upload ids are 32 hex digits, never a UUID). */
export const GET = apiRoute({
  endpoint: ENDPOINT,
  permission: "read",
  rateLimit: importRateLimit,
  params: z.object({ path: z.array(z.string()).optional() }),
  handler: async (input) => {
    const [id, ...rest] = input.params.path ?? [];
    if (!id || rest.length > 0 || !isUuid(id)) {
      throw new AppError("not_found", "No such import job: use GET /api/v1/lake/import/{job id}.");
    }
    const { db, principal } = input.services;
    return getImportJob({ db, principal, id });
  },
});

/** tus discovery (versions, extensions, max size) needs no credential, as CORS preflights send none. */
export async function OPTIONS(request: Request): Promise<Response> {
  return tusServer().handleWeb(request);
}

export { tus as DELETE, tus as HEAD, tus as PATCH, tus as POST };
