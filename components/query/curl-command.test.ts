import { execFileSync } from "node:child_process";

import { describe, expect, it } from "vitest";

import { graphqlCurlCommand, type GraphQLRequest } from "./curl-command";

const ENDPOINT = "https://lake.example/api/v1/lake/graphql";

/**
 * What a real shell hands to curl: the command runs in bash with `curl` defined as a function
 * that prints each argument it receives, NUL-separated.
 */
function argumentsCurlReceives(command: string): string[] {
  const output = execFileSync("bash", ["-c", `curl() { printf '%s\\0' "$@"; }\n${command}`], {
    env: { ...process.env, LAKE_API_KEY: "dpl_key_secret" },
    encoding: "utf8",
  });
  return output.split("\0").slice(0, -1);
}

function bodyCurlReceives(request: GraphQLRequest): unknown {
  const args = argumentsCurlReceives(graphqlCurlCommand(ENDPOINT, request));
  return JSON.parse(args[args.indexOf("-d") + 1]!);
}

describe("graphqlCurlCommand", () => {
  it("posts the operation with the API key from $LAKE_API_KEY, never a cookie", () => {
    const command = graphqlCurlCommand(ENDPOINT, { query: "{ me { id } }" });
    expect(command).toBe(
      [
        `curl 'https://lake.example/api/v1/lake/graphql'`,
        `-H "Authorization: Bearer $LAKE_API_KEY"`,
        `-H 'Content-Type: application/json'`,
        `-d '{"query":"{ me { id } }"}'`,
      ].join(" \\\n  "),
    );
    expect(command.toLowerCase()).not.toContain("cookie");
    expect(argumentsCurlReceives(command)).toEqual([
      ENDPOINT,
      "-H",
      "Authorization: Bearer dpl_key_secret",
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"query":"{ me { id } }"}',
    ]);
  });

  it("sends variables and the operation name, and leaves out empty ones", () => {
    expect(
      bodyCurlReceives({
        query: "query A { me { id } } query B { datasets { name } }",
        variables: { first: 5 },
        operationName: "B",
      }),
    ).toEqual({
      query: "query A { me { id } } query B { datasets { name } }",
      variables: { first: 5 },
      operationName: "B",
    });
    expect(
      bodyCurlReceives({ query: "{ me { id } }", variables: {}, operationName: null }),
    ).toEqual({ query: "{ me { id } }" });
  });

  it("survives the shell: quotes, $, backticks, backslashes, newlines and unicode arrive intact", () => {
    const request = {
      query: `query It's {\n  records(filter: { payload: { "payload.name": "eq.O'Brien" } }) {\n    nodes { id }\n  }\n}`,
      variables: {
        quote: "it's",
        both: `"double" and 'single'`,
        shell: "$HOME `whoami` $(id) \\ !! ; rm -rf / #",
        unicode: "Zoë ☃ 🚀",
        nested: { list: [1, "two", null, true] },
      },
    };
    expect(bodyCurlReceives(request)).toEqual(request);
  });

  it("streams a subscription as server-sent events, unbuffered", () => {
    const query = 'subscription { recordChanges(dataset: "orders") { offset } }';
    expect(
      argumentsCurlReceives(graphqlCurlCommand(ENDPOINT, { query, subscription: true })),
    ).toEqual([
      "-N",
      ENDPOINT,
      "-H",
      "Authorization: Bearer dpl_key_secret",
      "-H",
      "Content-Type: application/json",
      "-H",
      "Accept: text/event-stream",
      "-d",
      JSON.stringify({ query }),
    ]);
  });

  it("quotes the endpoint too", () => {
    const args = argumentsCurlReceives(
      graphqlCurlCommand("http://127.0.0.1:3000/api/v1/lake/graphql?x='1'&y=$z", { query: "{a}" }),
    );
    expect(args[0]).toBe("http://127.0.0.1:3000/api/v1/lake/graphql?x='1'&y=$z");
  });
});
