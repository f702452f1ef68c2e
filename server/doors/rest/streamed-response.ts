/** Responses whose body the custom server must pipe as it comes (node-route-adapter.ts). */
const streamed = new WeakSet<Response>();

/**
 * A Response whose body is written to the socket chunk by chunk, at the pace the client reads,
 * instead of being gathered first: a download of any size (an export) through the custom server.
 * Next streams every route handler's body already; this only tells the custom server to.
 */
export function streamedResponse(body: ReadableStream<Uint8Array>, init: ResponseInit): Response {
  const response = new Response(body, init);
  streamed.add(response);
  return response;
}

export function isStreamedResponse(response: Response): boolean {
  return streamed.has(response);
}
