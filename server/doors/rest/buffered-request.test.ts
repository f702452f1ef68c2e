import { describe, expect, it } from "vitest";

import { BufferedBodyRequest, bufferedBodyOf } from "./buffered-request";
import { readJsonBody } from "./read-json-body";

const make = (text: string) =>
  new BufferedBodyRequest(
    "http://lake.test/api/v1/lake/data?x=1",
    { method: "POST", headers: new Headers({ "content-type": "application/json" }) },
    Buffer.from(text),
  );

describe("BufferedBodyRequest", () => {
  it("is a Request with its method, url and headers", () => {
    const request = make("{}");
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe("POST");
    expect(new URL(request.url).searchParams.get("x")).toBe("1");
    expect(request.headers.get("content-type")).toBe("application/json");
  });

  it("hands its bytes to readJsonBody without a stream, within the size limit", async () => {
    const request = make('{"a":"é"}');
    expect(bufferedBodyOf(request)?.toString()).toBe('{"a":"é"}');
    expect(await readJsonBody(request, 100)).toEqual({ a: "é" });
    await expect(readJsonBody(make('{"a":1}'), 3)).rejects.toMatchObject({
      code: "payload_too_large",
    });
    await expect(readJsonBody(make("{"), 100)).rejects.toMatchObject({ code: "invalid_json" });
  });

  it("gives every other reader an ordinary body", async () => {
    expect(await make('{"a":1}').json()).toEqual({ a: 1 });
    expect(await make("abc").text()).toBe("abc");
    expect(await make("abc").clone().text()).toBe("abc");
    const streamed = make("abc");
    expect(streamed.bodyUsed).toBe(false);
    expect(await new Response(streamed.body).text()).toBe("abc");
    expect(streamed.bodyUsed).toBe(true);
    // Read already: nothing is handed out twice.
    expect(bufferedBodyOf(streamed)).toBeUndefined();
  });

  it("is not claimed for an ordinary Request", () => {
    expect(bufferedBodyOf(new Request("http://x/", { method: "POST", body: "a" }))).toBe(undefined);
  });
});
