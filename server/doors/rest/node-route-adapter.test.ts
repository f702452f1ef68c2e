import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CLIENT_IP_HEADER } from "./client-ip";
import { jsonResponse, TextBodyResponse } from "./json-response";
import { BUFFERED_BODY_MAX_BYTES, nodeRouteAdapter, type RouteModule } from "./node-route-adapter";
import { stampRequest } from "./stamp-request";
import { streamedResponse } from "./streamed-response";

/** Echoes what the handler saw, so the test can check what the adapter handed it. */
const echo =
  (route: string): NonNullable<RouteModule["GET"]> =>
  async (request, context) =>
    Response.json({
      route,
      method: request.method,
      url: request.url,
      params: await context.params,
      clientIp: request.headers.get(CLIENT_IP_HEADER),
      requestId: request.headers.get("x-request-id"),
      body: request.body ? await request.text() : null,
    });

/** The last TextBodyResponse handed to the adapter, to see whether its body stream was read. */
let textAnswer: Response | undefined;

describe("node route adapter", () => {
  let server: Server;
  let origin = "";
  let uploadsSeen = 0;

  beforeAll(async () => {
    const serveDirect = nodeRouteAdapter({
      "/api/items": { GET: echo("items"), POST: echo("items") },
      "/api/items/[id]": { GET: echo("item"), DELETE: echo("item") },
      "/api/items/archive": { POST: echo("archive") },
      "/api/files/[[...path]]": { GET: echo("files"), HEAD: echo("files") },
      "/api/files/shared/[[...path]]": {},
      "/api/uploads": {
        POST: async (request) => {
          uploadsSeen++;
          return Response.json({ bytes: (await request.arrayBuffer()).byteLength });
        },
      },
      "/api/json": {
        GET: async () =>
          jsonResponse({ ok: "é" }, { status: 202, headers: { ETag: '"1"', "X-Other": "a" } }),
      },
      "/api/text": {
        GET: async () => {
          textAnswer = new TextBodyResponse('{"text":"é"}', {
            headers: { "content-type": "application/graphql-response+json" },
          });
          return textAnswer;
        },
      },
      "/api/download": {
        GET: async (request) => {
          const fail = new URL(request.url).searchParams.has("fail");
          let sent = 0;
          return streamedResponse(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                if (sent === 3 && fail) return controller.error(new Error("database gone"));
                if (sent === 5) return controller.close();
                sent++;
                controller.enqueue(new TextEncoder().encode(`line ${sent}\n`));
              },
            }),
            { headers: { "content-type": "text/csv" } },
          );
        },
      },
      "/api/cookies": {
        GET: async () => {
          const headers = new Headers();
          headers.append("set-cookie", "a=1; Path=/");
          headers.append("set-cookie", "b=2; Path=/");
          return new Response(null, { status: 204, headers });
        },
      },
    });
    server = createServer((req, res) => {
      stampRequest(req, res, { trustProxy: false });
      if (!serveDirect(req, res)) res.writeHead(599).end("fallback");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("calls the route module's handler with the route params and the stamped headers", async () => {
    const response = await fetch(`${origin}/api/items/abc%20d?x=1`, {
      headers: { [CLIENT_IP_HEADER]: "6.6.6.6", "x-request-id": "caller-id.1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("caller-id.1");
    expect(await response.json()).toEqual({
      route: "item",
      method: "GET",
      url: `${origin}/api/items/abc%20d?x=1`,
      params: { id: "abc d" },
      // Whatever the client claims, the address is the socket's (no trusted proxy here).
      clientIp: "127.0.0.1",
      requestId: "caller-id.1",
      body: null,
    });
  });

  it("prefers a static segment over a [param], and streams request bodies", async () => {
    const response = await fetch(`${origin}/api/items/archive`, {
      method: "POST",
      body: JSON.stringify({ dataset: "d" }),
    });
    expect(await response.json()).toMatchObject({
      route: "archive",
      params: {},
      body: '{"dataset":"d"}',
    });
  });

  it("hands over small bodies whole and larger or chunked ones as streams, all complete", async () => {
    const upload = async (bytes: number, chunked: boolean) => {
      const data = new Uint8Array(bytes).fill(7);
      const body = chunked
        ? new ReadableStream({
            start(controller) {
              controller.enqueue(data.subarray(0, bytes / 2));
              controller.enqueue(data.subarray(bytes / 2));
              controller.close();
            },
          })
        : data;
      // duplex is required by undici for a stream body, and missing from RequestInit's type.
      const init = { method: "POST", body, ...(chunked ? { duplex: "half" } : {}) };
      const response = await fetch(`${origin}/api/uploads`, init);
      return ((await response.json()) as { bytes: number }).bytes;
    };
    expect(await upload(BUFFERED_BODY_MAX_BYTES, false)).toBe(BUFFERED_BODY_MAX_BYTES);
    expect(await upload(BUFFERED_BODY_MAX_BYTES + 2, false)).toBe(BUFFERED_BODY_MAX_BYTES + 2);
    expect(await upload(1000, true)).toBe(1000);
  });

  it("does not call the handler for a small body the client abandons, and keeps serving", async () => {
    const before = uploadsSeen;
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          "POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10),
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uploadsSeen).toBe(before);
    const response = await fetch(`${origin}/api/uploads`, { method: "POST", body: "abc" });
    expect(await response.json()).toEqual({ bytes: 3 });
  });

  it("writes a jsonResponse() answer with its status, headers and length", async () => {
    const response = await fetch(`${origin}/api/json`);
    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("etag")).toBe('"1"');
    expect(response.headers.get("x-other")).toBe("a");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength('{"ok":"é"}')));
    expect(await response.json()).toEqual({ ok: "é" });
  });

  it("writes a TextBodyResponse (GraphQL's answers) from its text, never reading its stream", async () => {
    const response = await fetch(`${origin}/api/text`);
    expect(response.headers.get("content-type")).toBe("application/graphql-response+json");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength('{"text":"é"}')));
    expect(await response.json()).toEqual({ text: "é" });
    expect(textAnswer?.bodyUsed).toBe(false);
  });

  it("matches an optional catch-all with no segments or many, as an array", async () => {
    const none = await fetch(`${origin}/api/files`);
    expect(await none.json()).toMatchObject({ route: "files", params: { path: [] } });
    const many = await fetch(`${origin}/api/files/a/b%2Fc`);
    expect(await many.json()).toMatchObject({ route: "files", params: { path: ["a", "b/c"] } });
    expect((await fetch(`${origin}/api/files/x`, { method: "HEAD" })).status).toBe(200);
  });

  it("hands on what it does not serve: other paths, and methods a module lacks", async () => {
    for (const [method, path] of [
      ["GET", "/api/other"],
      ["GET", "/api/items/a/b"],
      ["PUT", "/api/items/a"],
      ["OPTIONS", "/api/items"],
      // An empty module under a catch-all keeps its paths for the fallback (Next).
      ["GET", "/api/files/shared"],
      ["GET", "/api/files/shared/a/b"],
    ] as const) {
      const response = await fetch(`${origin}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(599);
    }
  });

  it("pipes a streamed download chunk by chunk, and cuts it when the stream fails", async () => {
    const response = await fetch(`${origin}/api/download`);
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(await response.text()).toBe("line 1\nline 2\nline 3\nline 4\nline 5\n");
    // A failure midway must not look like a complete (shorter) file.
    await expect(
      fetch(`${origin}/api/download?fail`).then((failing) => failing.text()),
    ).rejects.toThrow();
  });

  it("keeps every Set-Cookie and a body-less status", async () => {
    const response = await fetch(`${origin}/api/cookies`);
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });
});
