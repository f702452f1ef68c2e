import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { stampRequest } from "./stamp-request";
import type { SecurityHeaderOptions } from "./security-headers";

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** A server stamped like server/main.ts's; answers with the request headers a handler would see. */
async function stamped(options: SecurityHeaderOptions) {
  server = createServer((req, res) => {
    stampRequest(req, res, options);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(req.headers));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (headers: Record<string, string> = {}, path = "/login") => {
    const response = await fetch(`${origin}${path}`, { headers });
    return { response, seen: (await response.json()) as IncomingHttpHeaders };
  };
}

const directive = (policy: string | null, name: string) =>
  policy
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

describe("security headers", () => {
  it("are on every response, with a fresh script nonce that Next reads from the request", async () => {
    const get = await stamped({ trustProxy: false });
    const { response, seen } = await get({ "Content-Security-Policy": "script-src 'nonce-mine'" });
    const policy = response.headers.get("content-security-policy");
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(policy, "object-src")).toBe("object-src 'none'");
    expect(directive(policy, "script-src")).toMatch(
      /^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/,
    );
    // The client cannot choose the nonce: Next sees this response's policy.
    expect(seen["content-security-policy"]).toBe(policy);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(policy).not.toContain("upgrade-insecure-requests");

    const again = (await get()).response.headers.get("content-security-policy");
    expect(again).not.toBe(policy);
  });

  it("give answers that are data a fixed policy under which nothing loads or runs", async () => {
    const get = await stamped({ trustProxy: false });
    for (const path of ["/api/v1/lake/data/x?dataset=d", "/api/trpc/me", "/health", "/metrics"]) {
      const { response, seen } = await get({}, path);
      expect(response.headers.get("content-security-policy"), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(seen["content-security-policy"], path).toBe(
        response.headers.get("content-security-policy"),
      );
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    // Pages, including ones whose path merely starts like a probe's, keep the nonce policy.
    for (const path of ["/login", "/healthy", "/api-reference"]) {
      const policy = (await get({}, path)).response.headers.get("content-security-policy");
      expect(directive(policy, "script-src"), path).toContain("'nonce-");
    }
  });

  it("allow eval only in development (React's dev build, HMR)", async () => {
    const get = await stamped({ trustProxy: false, dev: true });
    const policy = (await get()).response.headers.get("content-security-policy");
    expect(directive(policy, "script-src")).toContain("'unsafe-eval'");
  });

  it("pin HTTPS only when the request came over it: X-Forwarded-Proto counts behind a trusted proxy", async () => {
    const untrusted = await stamped({ trustProxy: false });
    const claimed = (await untrusted({ "X-Forwarded-Proto": "https" })).response;
    expect(claimed.headers.get("strict-transport-security")).toBeNull();
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const trusted = await stamped({ trustProxy: true });
    const viaProxy = (await trusted({ "X-Forwarded-Proto": "https" })).response;
    expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(viaProxy.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    const plain = (await trusted({ "X-Forwarded-Proto": "http" })).response;
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
