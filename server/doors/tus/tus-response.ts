import { type Principal } from "../../auth/principal";
import { cacheServices } from "../../cache/client";
import { database } from "../../db/client";
import { AppError, type ErrorCode } from "../../errors/app-error";
import { errorEnvelope } from "../rest/error-response";
import { handleTusRequest } from "./tus-server";
import { recordUploadOffset } from "../../imports/uploads/upload-lifecycle";

const TUS_ERROR_CODES: Record<number, ErrorCode> = {
  400: "bad_request",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "not_found",
  412: "precondition_failed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  460: "bad_request",
  503: "service_unavailable",
};

/** The same response with a body in the error envelope, keeping the tus headers and status. */
function asEnvelope(response: Response, error: AppError): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(error.headers ?? {})) headers.set(name, value);
  headers.set("Content-Type", "application/json");
  headers.delete("Content-Length");
  return new Response(JSON.stringify(errorEnvelope(error)), { status: response.status, headers });
}

/**
 * What @tus/server would answer with a misleading status: a PATCH without a valid Upload-Offset
 * (it says 403), a PATCH body of another type (it says 400; tus 1.0 says 415), and the
 * concatenation extension, which this server does not offer (it says 501).
 */
function refuseMalformedTusRequest(request: Request): void {
  if (request.headers.has("upload-concat")) {
    throw new AppError(
      "bad_request",
      "Upload-Concat is not supported: the concatenation extension is not offered (see Tus-Extension).",
    );
  }
  if (request.method !== "PATCH") return;
  if (!/^\d+$/.test(request.headers.get("upload-offset") ?? "")) {
    throw new AppError("bad_request", "A PATCH needs Upload-Offset: the byte offset it writes at.");
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.split(";", 1)[0]!.trim().toLowerCase() !== "application/offset+octet-stream") {
    throw new AppError(
      "unsupported_media_type",
      "A PATCH body must be application/offset+octet-stream.",
      { received: contentType || null },
    );
  }
}

/**
 * A tus request, answered by @tus/server, with two additions: every error is in the API's
 * envelope (tus's own are plain text: "Upload-Offset conflict" becomes a 409 `conflict`), and the
 * job's received bytes are recorded once a chunk is stored.
 */
export async function tusResponse(request: Request, principal: Principal): Promise<Response> {
  refuseMalformedTusRequest(request);
  const { response, uploadId, error } = await handleTusRequest(request, principal);
  if (error) return asEnvelope(response, error);
  if (response.status >= 400) {
    const text = (await response.clone().text()).trim();
    const code = TUS_ERROR_CODES[response.status] ?? "internal_error";
    const message =
      response.status === 410 ? "The upload expired: it received no data for too long." : text;
    return asEnvelope(response, new AppError(code, message || "The upload request failed."));
  }
  const offset = response.headers.get("upload-offset");
  if (uploadId && offset && (request.method === "PATCH" || request.method === "POST")) {
    await recordUploadOffset(database(), cacheServices(), uploadId, Number(offset));
  }
  return response;
}
