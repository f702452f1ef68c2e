import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { setUploadDirectory } from "../../../imports/uploads/upload-store";
import { nodeRouteAdapter } from "../../rest/node-route-adapter";
import * as tusRoute from "../../rest/routes/import-uploads";

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
    // The same adapter that serves the data API beside Next (server/doors/rest/node-route-adapter.ts).
    const serve = nodeRouteAdapter({ "/api/v1/lake/import/[[...path]]": tusRoute });
    server = createServer((req, res) => {
      if (!serve(req, res)) res.writeHead(405).end();
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
