import { randomBytes } from "node:crypto";

import { EVENTS, Server, type Upload } from "@tus/server";

import { type Principal } from "../../auth/principal";
import { cacheServices } from "../../cache/client";
import { database } from "../../db/client";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { errorEnvelope } from "../rest/error-response";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { singleton } from "../../singleton";
import { createUploadJob } from "../../imports/uploads/create-upload-job";
import {
  finishUpload,
  recordUploadOffset,
  terminateUpload,
} from "../../imports/uploads/upload-lifecycle";
import { uploadDirectory, uploadStore } from "../../imports/uploads/upload-store";

export const TUS_PATH = "/api/v1/lake/import";

/** What the route learned about a request, for the tus hooks (which only get the Request). */
type RequestState = { principal: Principal; uploadId?: string; error?: AppError };
const requests = new WeakMap<Request, RequestState>();

function stateOf(request: Request): RequestState {
  const state = requests.get(request);
  if (!state) throw new AppError("unauthorized", "Authentication required.");
  return state;
}

/**
 * Only the owner may touch an upload (HEAD, PATCH, DELETE); anyone else gets 404, as for an
 * upload that does not exist. A DELETE would pull the file from under a queued or running job.
 */
async function checkUploadAccess(request: Request, uploadId: string): Promise<void> {
  const state = stateOf(request);
  state.uploadId = uploadId;
  if (request.method === "POST") return;
  const job = await database().prisma.importJob.findUnique({ where: { uploadId } });
  if (!job || job.ownerId !== state.principal.userId) {
    throw new AppError("not_found", "The upload was not found.");
  }
  if (request.method === "DELETE" && (job.status === "queued" || job.status === "running")) {
    throw new AppError(
      "conflict",
      "The import of this upload is under way: cancel the job instead.",
    );
  }
}

function createTusServer(): Server {
  const server = new Server({
    path: TUS_PATH,
    datastore: uploadStore(),
    maxSize: env().LAKE_UPLOAD_MAX_BYTES,
    relativeLocation: true,
    // 32 hex characters: never a UUID, so /import/{job id} and /import/{upload id} cannot clash.
    namingFunction: () => randomBytes(16).toString("hex"),
    postReceiveInterval: 1_000,
    onIncomingRequest: async (request, uploadId) => checkUploadAccess(request, uploadId),
    onUploadCreate: async (request, upload) => {
      await createUploadJob({
        db: database(),
        principal: stateOf(request).principal,
        uploadId: upload.id,
        size: upload.size,
        metadata: upload.metadata ?? {},
      });
      return {};
    },
    onUploadFinish: async (_request, upload) => {
      await finishUpload(database(), cacheServices(), { id: upload.id, size: upload.offset });
      return {};
    },
    // Errors thrown by our hooks are AppErrors: kept for the route, which answers in the envelope.
    onResponseError: (request, error) => {
      const state = requests.get(request);
      if (error instanceof Error && !("status_code" in error)) {
        const appError = toAppError(error);
        if (appError.code === "internal_error") logger().error({ err: error }, "tus hook failed");
        if (state) state.error = appError;
        return { status_code: appError.status, body: JSON.stringify(errorEnvelope(appError)) };
      }
      return undefined;
    },
  });
  server.on(EVENTS.POST_RECEIVE, (_stream: unknown, upload: Upload) => {
    void recordUploadOffset(database(), cacheServices(), upload.id, upload.offset).catch(
      () => undefined,
    );
  });
  server.on(EVENTS.POST_TERMINATE, (_request: unknown, _response: unknown, id: string) => {
    void terminateUpload(database(), cacheServices(), id).catch(() => undefined);
  });
  return server;
}

/** The process's tus server (one per upload directory), shared by route handlers and workers. */
export function tusServer(): Server {
  return singleton(`tus-server:${uploadDirectory()}`, createTusServer);
}

/**
 * Runs one tus request for an authenticated principal and returns what the hooks decided, plus
 * the upload's id (for bookkeeping after the response is built).
 */
export async function handleTusRequest(
  request: Request,
  principal: Principal,
): Promise<{ response: Response; uploadId?: string; error?: AppError }> {
  const state: RequestState = { principal };
  requests.set(request, state);
  const response = await tusServer().handleWeb(request);
  if (state.error === undefined && response.status >= 500) {
    logger().error({ status: response.status }, "tus request failed");
  }
  return { response, uploadId: state.uploadId, error: state.error };
}
