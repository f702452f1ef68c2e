import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { issueAccessToken } from "../../auth/access-token";
import { revokeApiKey } from "../../auth/api-keys/revoke-api-key";
import { databaseBackends } from "../../testing/backends";
import { createTestKey, createTestUser, sessionCookie } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { setUserDisabled } from "../../users/set-user-disabled";
import { STREAM_PATH } from "./stream-path";
import { upgradeRouter } from "./upgrade";
import { type WebSocketDoorOptions } from "./authenticated-sockets";
import { createWsHub, type WsHub } from "./ws-hub";

const DEFAULTS: WebSocketDoorOptions = {
  trustProxy: false,
  limits: { perInstance: 100, perPrincipal: 10 },
  recheckMs: 3_600_000,
};

let running: { server: Server; hub: WsHub } | undefined;
afterEach(async () => {
  if (!running) return;
  const { server, hub } = running;
  running = undefined;
  await hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The hub behind a real HTTP server on a free port, routed like server/main.ts routes it. */
async function startHub(options: Partial<WebSocketDoorOptions> = {}) {
  const hub = createWsHub({ ...DEFAULTS, ...options });
  const server = createServer();
  server.on("upgrade", upgradeRouter({ [STREAM_PATH]: hub.handleUpgrade }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  running = { server, hub };
  const { port } = server.address() as AddressInfo;
  return { hub, port, url: `ws://127.0.0.1:${port}${STREAM_PATH}` };
}

type Opened = { socket: WebSocket; messages: unknown[]; closed: Promise<number> };

function open(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<Opened> {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
  const messages: unknown[] = [];
  socket.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => socket.once("close", resolve));
  return new Promise((resolve, reject) =>
    socket
      .once("open", () => resolve({ socket, messages, closed }))
      .once("unexpected-response", (_request, response: IncomingMessage) =>
        reject(new Error(`unexpected ${response.statusCode}`)),
      )
      .once("error", reject),
  );
}

type Envelope = { error_code: string; message: string; details: unknown; timestamp: string };

/** The HTTP answer to a refused handshake: status, headers and the envelope. */
function refusal(url: string, options: { headers?: Record<string, string>; protocols?: string[] }) {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
  return new Promise<{ status: number; headers: IncomingMessage["headers"]; body: Envelope }>(
    (resolve, reject) => {
      socket.once("open", () => reject(new Error("the handshake was accepted")));
      socket.once("error", () => {});
      socket.once("unexpected-response", (_request, response: IncomingMessage) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: JSON.parse(text) as Envelope,
          }),
        );
      });
    },
  );
}

describe.each(databaseBackends)("the stream WebSocket on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);

  it("greets, answers pings and reports bad messages to a caller with an API key", async () => {
    const { url } = await startHub();
    const { key } = await createTestKey(db(), "reader", ["read"]);
    const { socket, messages } = await open(url, { headers: { "X-API-Key": key } });
    socket.send(JSON.stringify({ type: "ping", id: 1 }));
    socket.send("not json");
    await expect.poll(() => messages.length).toBe(3);
    expect(messages).toEqual([
      expect.objectContaining({ type: "hello" }),
      { type: "pong", id: 1 },
      expect.objectContaining({ type: "error", error_code: "invalid_json" }),
    ]);
    socket.close();
  });

  it("refuses a handshake without a credential, or with a wrong one, with 401 in the envelope", async () => {
    const { url, hub } = await startHub();
    for (const headers of <Record<string, string>[]>[
      {},
      { Authorization: "Bearer not-a-token" },
      { Authorization: "Basic dXNlcjpwYXNz" },
      { "X-API-Key": "dpl_0123456789ab_" + "x".repeat(43) },
    ]) {
      const { status, headers: answered, body } = await refusal(url, { headers });
      expect(status).toBe(401);
      expect(answered["content-type"]).toContain("application/json");
      expect(answered["x-request-id"]).toBeTruthy();
      expect(Object.keys(body).sort()).toEqual(["details", "error_code", "message", "timestamp"]);
      expect(body.error_code).toBe("unauthorized");
    }
    expect(hub.clients()).toBe(0);
  });

  it("refuses a revoked key and a disabled user's key", async () => {
    const { url } = await startHub();
    const revoked = await createTestKey(db(), "reader", ["read"]);
    await revokeApiKey({ db: db(), principal: revoked.principal, keyId: revoked.apiKey.id });
    expect((await refusal(url, { headers: { "X-API-Key": revoked.key } })).status).toBe(401);

    const { principal: admin } = await createTestUser(db(), "admin");
    const disabled = await createTestKey(db(), "reader", ["read"]);
    await setUserDisabled({
      db: db(),
      principal: admin,
      userId: disabled.principal.userId,
      disabled: true,
    });
    expect(
      (await refusal(url, { headers: { Authorization: `Bearer ${disabled.key}` } })).status,
    ).toBe(401);
  });

  it("takes a token offered as the lake.bearer. subprotocol and selects only lake.v1", async () => {
    const { url } = await startHub();
    const { principal } = await createTestUser(db(), "reader");
    const { access_token } = await issueAccessToken(principal, 0);
    const { socket, messages } = await open(url, {
      protocols: ["lake.v1", `lake.bearer.${access_token}`],
    });
    expect(socket.protocol).toBe("lake.v1");
    await expect.poll(() => messages.length).toBe(1);
    socket.close();

    const { key } = await createTestKey(db(), "reader", ["read"]);
    const withKey = await open(url, { protocols: ["lake.v1", `lake.bearer.${key}`] });
    expect(withKey.socket.protocol).toBe("lake.v1");
    withKey.socket.close();

    // Without lake.v1 a browser would fail the handshake anyway: say why instead.
    const alone = await refusal(url, { protocols: [`lake.bearer.${access_token}`] });
    expect(alone.status).toBe(400);
    expect(alone.body.message).toContain("lake.v1");
    const wrong = await refusal(url, { protocols: ["lake.v1", "lake.bearer.nope"] });
    expect(wrong.status).toBe(401);
  });

  it("accepts the console's cookie only from a page of this site (CSWSH)", async () => {
    const { url, port } = await startHub();
    const { principal } = await createTestUser(db(), "reader");
    const cookie = await sessionCookie(principal.userId);
    const here = `http://127.0.0.1:${port}`;

    for (const origin of ["https://evil.example", `http://127.0.0.1:${port + 1}`, undefined]) {
      const headers: Record<string, string> = { Cookie: cookie };
      if (origin) headers.Origin = origin;
      const { status, body } = await refusal(url, { headers });
      expect(status).toBe(403);
      expect(body).toMatchObject({ error_code: "forbidden", details: { reason: "csrf" } });
    }
    const { socket } = await open(url, { headers: { Cookie: cookie, Origin: here } });
    socket.close();

    // A Bearer credential is not ambient: any page that holds one may use it.
    const { key } = await createTestKey(db(), "reader", ["read"]);
    const bearer = await open(url, {
      headers: { "X-API-Key": key, Origin: "https://app.example" },
    });
    bearer.socket.close();
  });

  it("believes X-Forwarded-Host for the origin check only behind a trusted proxy", async () => {
    const { principal } = await createTestUser(db(), "reader");
    const headers = {
      Cookie: await sessionCookie(principal.userId),
      Origin: "https://lake.example.com",
      "X-Forwarded-Host": "lake.example.com",
      "X-Forwarded-Proto": "https",
    };
    const untrusted = await startHub();
    expect((await refusal(untrusted.url, { headers })).status).toBe(403);
    await running!.hub.close();
    await new Promise<void>((resolve) => running!.server.close(() => resolve()));
    running = undefined;

    const trusted = await startHub({ trustProxy: true });
    const { socket } = await open(trusted.url, { headers });
    socket.close();
  });

  it("caps connections per user (429) and per instance (503), counting down on close", async () => {
    const { url, hub } = await startHub({ limits: { perInstance: 3, perPrincipal: 2 } });
    const first = await createTestKey(db(), "reader", ["read"]);
    const headers = { "X-API-Key": first.key };
    const a = await open(url, { headers });
    await open(url, { headers });
    const overUser = await refusal(url, { headers });
    expect(overUser.status).toBe(429);
    expect(overUser.body).toMatchObject({ error_code: "rate_limited", details: { limit: 2 } });
    expect(overUser.headers["retry-after"]).toBeTruthy();

    const second = await createTestKey(db(), "reader", ["read"]);
    await open(url, { headers: { "X-API-Key": second.key } });
    const overInstance = await refusal(url, { headers: { "X-API-Key": second.key } });
    expect(overInstance.status).toBe(503);
    expect(overInstance.body.error_code).toBe("service_unavailable");

    a.socket.close();
    await a.closed;
    await expect.poll(() => hub.clients()).toBe(2);
    const again = await open(url, { headers });
    again.socket.close();
  });

  it("closes an open socket when its key is revoked or its user disabled", async () => {
    const { url, hub } = await startHub();
    const keyed = await createTestKey(db(), "reader", ["read"]);
    const bySession = await createTestUser(db(), "reader");
    const { port } = running!.server.address() as AddressInfo;
    const viaKey = await open(url, { headers: { "X-API-Key": keyed.key } });
    const viaSession = await open(url, {
      headers: {
        Cookie: await sessionCookie(bySession.principal.userId),
        Origin: `http://127.0.0.1:${port}`,
      },
    });
    const untouched = await open(url, {
      headers: { "X-API-Key": (await createTestKey(db(), "reader", ["read"])).key },
    });

    await hub.recheck();
    expect(hub.clients()).toBe(3);

    await revokeApiKey({ db: db(), principal: keyed.principal, keyId: keyed.apiKey.id });
    const { principal: admin } = await createTestUser(db(), "admin");
    await setUserDisabled({
      db: db(),
      principal: admin,
      userId: bySession.principal.userId,
      disabled: true,
    });
    await hub.recheck();
    expect(await viaKey.closed).toBe(1008);
    expect(await viaSession.closed).toBe(1008);
    expect(viaKey.messages.at(-1)).toMatchObject({ type: "error", error_code: "unauthorized" });
    await expect.poll(() => hub.clients()).toBe(1);
    untouched.socket.close();
  });

  it("re-checks on its own timer", async () => {
    const { url } = await startHub({ recheckMs: 100 });
    const keyed = await createTestKey(db(), "reader", ["read"]);
    const opened = await open(url, { headers: { "X-API-Key": keyed.key } });
    await revokeApiKey({ db: db(), principal: keyed.principal, keyId: keyed.apiKey.id });
    expect(await opened.closed).toBe(1008);
  });

  it("survives a malformed frame: drops that client, keeps serving others", async () => {
    const { port, url } = await startHub();
    const { key } = await createTestKey(db(), "reader", ["read"]);
    // A raw upgrade, then a frame with a reserved opcode (0x3): ws emits 'error' on the socket.
    const raw = connect(port, "127.0.0.1");
    await new Promise((resolve) => raw.once("connect", resolve));
    raw.write(
      `GET ${STREAM_PATH} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `X-API-Key: ${key}\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    const answer = await new Promise<Buffer>((resolve) => raw.once("data", resolve));
    expect(answer.toString()).toMatch(/^HTTP\/1.1 101/);
    raw.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    await new Promise((resolve) => raw.once("close", resolve));

    const { socket, messages } = await open(url, { headers: { "X-API-Key": key } });
    await expect.poll(() => messages.length).toBe(1);
    socket.close();
  });

  it("gives the slot back when ws refuses an authenticated handshake", async () => {
    const { port, url, hub } = await startHub({ limits: { perInstance: 1, perPrincipal: 1 } });
    const { key } = await createTestKey(db(), "reader", ["read"]);
    // Authenticated, then refused by ws itself (no Sec-WebSocket-Key): 400, and the slot is free.
    const raw = connect(port, "127.0.0.1");
    await new Promise((resolve) => raw.once("connect", resolve));
    raw.write(
      `GET ${STREAM_PATH} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `X-API-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const answer = await new Promise<Buffer>((resolve) => raw.once("data", resolve));
    expect(answer.toString()).toMatch(/^HTTP\/1.1 400/);
    await new Promise((resolve) => raw.once("close", resolve));

    const { socket } = await open(url, { headers: { "X-API-Key": key } });
    expect(hub.clients()).toBe(1);
    socket.close();
  });
});
