import type { IncomingMessage } from "node:http";

import { describe, expect, it } from "vitest";

import { upgradeCredentials } from "./upgrade-credentials";

const upgrade = (headers: Record<string, string>) =>
  ({
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  }) as IncomingMessage;

describe("upgrade credentials", () => {
  it("keeps only the credential headers, and turns a lake.bearer. subprotocol into Bearer", () => {
    const plain = upgradeCredentials(
      upgrade({ "X-API-Key": "dpl_x", Cookie: "a=b", "User-Agent": "test", Host: "lake" }),
    );
    expect([...plain.keys()].sort()).toEqual(["cookie", "x-api-key"]);

    const offered = upgradeCredentials(
      upgrade({ "Sec-WebSocket-Protocol": "lake.v1, lake.bearer.eyJ.abc.def" }),
    );
    expect(offered.get("authorization")).toBe("Bearer eyJ.abc.def");
  });

  it("refuses two credentials, or a credential without the lake.v1 protocol", () => {
    for (const headers of <Record<string, string>[]>[
      { "Sec-WebSocket-Protocol": "lake.v1, lake.bearer.a, lake.bearer.b" },
      { "Sec-WebSocket-Protocol": "lake.v1, lake.bearer.a", Authorization: "Bearer b" },
      { "Sec-WebSocket-Protocol": "lake.bearer.a" },
    ]) {
      expect(() => upgradeCredentials(upgrade(headers))).toThrow(
        expect.objectContaining({ code: "bad_request" }),
      );
    }
  });
});
