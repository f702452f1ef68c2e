import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll } from "vitest";

import * as tusRoute from "@/app/api/v1/lake/import/[[...path]]/route";

import { setUploadDirectory } from "../upload-store";

type Handler = (request: Request, context?: unknown) => Promise<Response>;

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS";
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this for a streamed request body.
    duplex: "half",
  };
  return new Request(new URL(req.url ?? "/", origin), init);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      res.write(chunk);
    }
  }
  res.end();
}

/**
 * A loopback HTTP server in front of the tus route handler, as Next would run it: tus-js-client
 * needs a URL. Uploads go to a temporary directory of the suite's own.
 */
export function useImportTestServer() {
  let server: Server | undefined;
  let directory: string | undefined;
  let endpoint = "";
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "lake-uploads-"));
    setUploadDirectory(directory);
    server = createServer((req, res) => {
      const handler = (tusRoute as unknown as Record<string, Handler | undefined>)[
        req.method ?? "GET"
      ];
      if (!handler) return void res.writeHead(405).end();
      const request = toRequest(req, `http://${req.headers.host}`);
      const segments = new URL(request.url).pathname.split("/").slice(5).filter(Boolean);
      handler(request, { params: Promise.resolve({ path: segments }) })
        .then((response) => send(res, response))
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/lake/import`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    setUploadDirectory(undefined);
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  return { endpoint: () => endpoint, directory: () => directory! };
}
