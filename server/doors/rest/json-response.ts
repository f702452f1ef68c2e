/** The text each JSON answer was built from, for the node route adapter (server/main.ts). */
const serializedBodies = new WeakMap<Response, string>();

/**
 * `Response.json`, remembering the text it serialised: the custom server then writes that text
 * instead of reading it back out of the Response's body stream, which cost as much CPU as the
 * rest of the answer on the data API's hot paths (bench:rest, docs/decisions/0008). The Response
 * itself is a complete one, so Next (in `next dev`) or any other reader sees no difference.
 */
export function jsonResponse(data: unknown, init: ResponseInit = {}): Response {
  const text = JSON.stringify(data) as string | undefined;
  if (text === undefined) throw new TypeError("Value is not JSON serializable");
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  const response = new Response(text, {
    status: init.status,
    statusText: init.statusText,
    headers,
  });
  serializedBodies.set(response, text);
  return response;
}

/**
 * A Response that remembers a text body, as jsonResponse's do: graphql-yoga builds its answers
 * with this class (its `fetchAPI`), so they too are written without reading their body stream.
 */
export class TextBodyResponse extends Response {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(body, init);
    if (typeof body === "string") serializedBodies.set(this, body);
  }
}

/** The body of a Response made by jsonResponse (or a TextBodyResponse), without reading it. */
export function serializedBodyOf(response: Response): string | undefined {
  return serializedBodies.get(response);
}
