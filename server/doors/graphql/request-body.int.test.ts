import { describe, expect, it } from "vitest";

import { env } from "../../env";
import { databaseBackends } from "../../testing/backends";
import { createTestKey } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { BufferedBodyRequest } from "../rest/buffered-request";
import { POST } from "./graphql-route";
import { codesOf, GRAPHQL_TEST_URL, type GraphQLResult } from "./testing/post-graphql";

const ME = "{ me { id } }";

describe.each(databaseBackends)("GraphQL request bodies on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);

  async function post(request: Request) {
    const response = await POST(request);
    return { status: response.status, body: (await response.json()) as GraphQLResult };
  }
  const headers = (key: string, contentType: string) =>
    new Headers({ "content-type": contentType, "x-api-key": key });
  const json = (key: string, body: string) =>
    new Request(GRAPHQL_TEST_URL, {
      method: "POST",
      headers: headers(key, "application/json"),
      body,
    });

  it("answers a JSON body the custom server read whole without making it a stream", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read"]);
    const request = new BufferedBodyRequest(
      GRAPHQL_TEST_URL,
      { method: "POST", headers: headers(key, "application/json") },
      Buffer.from(JSON.stringify({ query: ME })),
    );
    const { status, body } = await post(request);
    expect(status).toBe(200);
    expect(body.data).toEqual({ me: { id: principal.userId } });
    // Had anything read it as a stream (yoga's own body limit did), the bytes would be spent.
    expect(request.bufferedBody).toBeDefined();
  });

  it("refuses a body over LAKE_MAX_BODY_BYTES, streamed or read whole, with 413", async () => {
    const { key } = await createTestKey(db(), "admin", ["read"]);
    const max = env().LAKE_MAX_BODY_BYTES;
    const big = JSON.stringify({ query: ME, variables: { pad: "x".repeat(max) } });
    const streamed = await post(json(key, big));
    expect(streamed.status).toBe(413);
    expect(codesOf(streamed.body)).toEqual(["payload_too_large"]);
    const whole = await post(
      new BufferedBodyRequest(
        GRAPHQL_TEST_URL,
        { method: "POST", headers: headers(key, "application/json") },
        Buffer.from(big),
      ),
    );
    expect(whole.status).toBe(413);
    expect(codesOf(whole.body)).toEqual(["payload_too_large"]);
  });

  it("refuses JSON that is not JSON, or not an object, with 400", async () => {
    const { key } = await createTestKey(db(), "admin", ["read"]);
    for (const body of ['{"query": "{ me { id } }"', '"{ me { id } }"', "null"]) {
      const answer = await post(json(key, body));
      expect(answer.status, body).toBe(400);
      expect(codesOf(answer.body), body).toEqual(["bad_request"]);
    }
  });

  it("takes a query as application/graphql and as a form, and refuses multipart with 415", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read"]);
    const asText = await post(
      new Request(GRAPHQL_TEST_URL, {
        method: "POST",
        headers: headers(key, "application/graphql"),
        body: ME,
      }),
    );
    expect(asText.body.data).toEqual({ me: { id: principal.userId } });
    const asForm = await post(
      new Request(GRAPHQL_TEST_URL, {
        method: "POST",
        headers: headers(key, "application/x-www-form-urlencoded"),
        body: new URLSearchParams({ query: ME }).toString(),
      }),
    );
    expect(asForm.body.data).toEqual({ me: { id: principal.userId } });

    const form = new FormData();
    form.set("operations", JSON.stringify({ query: ME }));
    const multipart = await POST(
      new Request(GRAPHQL_TEST_URL, {
        method: "POST",
        headers: { "x-api-key": key },
        body: form,
      }),
    );
    expect(multipart.status).toBe(415);
    expect(codesOf((await multipart.json()) as GraphQLResult)).toEqual(["unsupported_media_type"]);
  });
});
