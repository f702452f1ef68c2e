import { GraphQLError } from "graphql";
import { type Plugin } from "graphql-yoga";

import { AppError } from "../../errors/app-error";
import { readBodyText } from "../rest/read-json-body";

const JSON_TYPES = /^application\/(graphql\+)?json\s*(;|,|$)/i;
/** Other bodies yoga parses that are text: a query as application/graphql, a form. */
const TEXT_TYPES = /^application\/(graphql|x-www-form-urlencoded)\s*(;|,|$)/i;

/** A refusal of the body as yoga's own request parsers raise them (a status and a code). */
function refusal(message: string, status: number, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { http: { status }, code } });
}

function parseJsonParams(text: string): Record<string, unknown> | Record<string, unknown>[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw refusal("POST body sent invalid JSON.", 400, "BAD_REQUEST");
  }
  // An object is one operation, an array a batch (yoga checks what they hold).
  if (body === null || typeof body !== "object") {
    throw refusal(
      `POST body is expected to be object but received ${String(body)}`,
      400,
      "BAD_REQUEST",
    );
  }
  return body as Record<string, unknown>;
}

async function bodyText(request: Request, maxBytes: number): Promise<string> {
  try {
    return await readBodyText(request, maxBytes);
  } catch (error) {
    if (error instanceof AppError) {
      throw refusal(error.message, error.status, error.code);
    }
    throw error;
  }
}

/**
 * Every POST body is read by the data API's rule (readBodyText: LAKE_MAX_BODY_BYTES, enforced
 * while reading), in place of yoga's own limit (`maxRequestBodySize: false` in graphql-server.ts),
 * which re-wraps each body in a Web TransformStream and a new Request. So a JSON body the
 * custom server already read whole (buffered-request.ts) is parsed from its bytes, never made a
 * stream: on a record by id, about a tenth of the door's CPU (bench:graphql). Other content
 * types (a query as application/graphql, a form) go to yoga's parser with the body read under
 * the same limit; multipart (file uploads, which the schema has none of) is refused.
 */
export function useRequestBody(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== "POST" || !requestParser) return;
      const contentType = request.headers.get("content-type") ?? "";
      if (JSON_TYPES.test(contentType)) {
        setRequestParser(async (req) => parseJsonParams(await bodyText(req, maxBytes)));
        return;
      }
      if (TEXT_TYPES.test(contentType)) {
        setRequestParser(async (req) => {
          const text = await bodyText(req, maxBytes);
          return requestParser(
            new Request(req.url, { method: req.method, headers: req.headers, body: text }),
          );
        });
        return;
      }
      // Multipart, GraphQL's file uploads: the schema takes none, files go to /import.
      throw refusal(
        "GraphQL takes JSON, application/graphql or a form; files go to /api/v1/lake/import.",
        415,
        "unsupported_media_type",
      );
    },
  };
}
