import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { routeMatcher } from "./node-route-adapter";
import { refuseUnroutable } from "./refuse-unroutable";
import { stampRequest } from "./stamp-request";

// Requests that get past the guard are answered 299 by the stand-in for Next and the adapter.
const routes: Record<string, readonly string[]> = {
  "/api/items": ["GET", "POST"],
  "/api/items/[id]": ["GET", "DELETE"],
  "/api/files/[[...path]]": ["GET", "OPTIONS"],
};

describe("requests refused before routing", () => {
  let server: Server;
  let origin = "";

  beforeAll(async () => {
    const refuse = refuseUnroutable(routeMatcher(routes));
    server = createServer((req, res) => {
      stampRequest(req, res, { trustProxy: false });
      if (!refuse(req, res)) res.writeHead(299).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = (method: string, path: string) =>
    fetch(`${origin}${path}`, { method, signal: AbortSignal.timeout(5_000) });

  it("answers an /api path no route serves with a 404 envelope", async () => {
    const response = await send("GET", "/api/items/1/more");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: "not_found" });
  });

  it.each(["/api/items/%ZZ", "/api/files/a/%E0%A4%A", "/console/%", "/%ZZ/items"])(
    "answers a malformed percent-escape in %s with a 400 envelope",
    async (path) => {
      const response = await send("GET", path);
      expect(response.status).toBe(400);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ error_code: "bad_request" });
      expect(typeof body.timestamp).toBe("string");
      expect(response.headers.get("x-request-id")).toBeTruthy();
    },
  );

  it("answers a method a route lacks with 405 and Allow, in the envelope", async () => {
    const response = await send("PUT", "/api/items/1");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
    expect(await response.json()).toMatchObject({
      error_code: "method_not_allowed",
      details: { allowed: ["GET", "DELETE", "HEAD", "OPTIONS"] },
    });
  });

  it("answers methods HTTP handlers do not take with 405, on any path", async () => {
    // fetch() refuses to send TRACE, so this one goes through node:http.
    const trace = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const outgoing = request(`${origin}${path}`, { method: "TRACE" }, (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        outgoing.on("error", reject);
        outgoing.end();
      });
    for (const path of ["/api/items", "/", "/console"]) {
      const { status, body } = await trace(path);
      expect(status).toBe(405);
      expect(JSON.parse(body)).toMatchObject({ error_code: "method_not_allowed" });
    }
  });

  it("lets through what a handler answers: its methods, HEAD with GET, OPTIONS, other paths", async () => {
    for (const [method, path] of [
      ["GET", "/api/items"],
      ["HEAD", "/api/items/7"],
      ["OPTIONS", "/api/items"],
      ["GET", "/api/files/a/b%20c"],
      ["DELETE", "/console/anything"],
    ] as const) {
      expect((await send(method, path)).status, `${method} ${path}`).toBe(299);
    }
  });
});
