import { POST } from "../graphql-route";

export type GraphQLResult = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
};

/**
 * A GraphQL operation over server-sent events (GraphQL over SSE, "distinct connections" mode), as
 * a browser's EventSource or graphql-sse client would run it: each result as it arrives.
 */
export async function sseOperation(
  key: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  const controller = new AbortController();
  const response = await POST(
    new Request("http://lake.test/api/v1/lake/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        "x-api-key": key,
      },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    }),
  );
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  /** The next `count` results (or fewer, if the stream completes); rejects after `timeoutMs`. */
  async function next(count: number, timeoutMs = 10_000): Promise<GraphQLResult[]> {
    const results: GraphQLResult[] = [];
    const deadline = Date.now() + timeoutMs;
    while (results.length < count) {
      const frame = buffered.indexOf("\n\n");
      if (frame >= 0) {
        const lines = buffered.slice(0, frame).split("\n");
        buffered = buffered.slice(frame + 2);
        const event = lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim();
        const data = lines
          .find((line) => line.startsWith("data:"))
          ?.slice(5)
          .trim();
        if (event === "complete") break;
        if (event === "next" && data) results.push(JSON.parse(data) as GraphQLResult);
        continue;
      }
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no result within ${timeoutMs} ms`)),
          deadline - Date.now(),
        ),
      );
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
    }
    return results;
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    next,
    async close() {
      await reader.cancel().catch(() => undefined);
      controller.abort();
    },
  };
}
