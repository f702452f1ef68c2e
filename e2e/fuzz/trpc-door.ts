import fc from "fast-check";
import { z } from "zod";

import { appRouter } from "../../server/doors/trpc/router";
import { type FuzzTargets, type HttpCase } from "./fuzz-case";
import { jsonBodies } from "./json-bodies";
import { labeled, q, type Labeled } from "./malformed";
import { refResolver, schemaValue, type JsonSchema } from "./schema-values";

// Cases for every procedure of the console's tRPC router, read from the router itself (names,
// query or mutation, and each input's zod schema as JSON Schema), so a new procedure is fuzzed
// without touching this file. tRPC has its own error shape; the contract is that it carries the
// envelope's error_code, consistent with the HTTP status (server/trpc/init.ts errorFormatter).

type Procedure = { path: string; type: "query" | "mutation"; input?: JsonSchema };

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };

export function procedures(): Procedure[] {
  const all = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def
    .procedures;
  return Object.entries(all)
    .filter(([, p]) => p._def.type !== "subscription")
    .map(([path, p]) => {
      const input = p._def.inputs[0];
      return {
        path,
        type: p._def.type as Procedure["type"],
        input: input
          ? (z.toJSONSchema(input, { unrepresentable: "any", io: "input" }) as JsonSchema)
          : undefined,
      };
    });
}

const UNKNOWN_PROCEDURES = [
  "nope",
  "data..list",
  "__proto__",
  "constructor",
  "toString",
  "data.datasets",
  "%ZZ",
  "%00",
  "a".repeat(3_000),
  "system.status/extra",
];

function procedureCases(procedure: Procedure, targets: FuzzTargets, origin: string) {
  const { credentials, seeds } = targets;
  const base = procedure.input
    ? schemaValue(procedure.input, { resolve: refResolver(procedure.input), seeds })
    : fc.constant(undefined);
  const endpoint = `/api/trpc/${procedure.path}`;
  const mutation = procedure.type === "mutation";

  /** How tRPC's fetch adapter takes an input: a POST body for mutations, `?input=` for queries. */
  const send = (bytes: Buffer, contentType?: string): Omit<Variant, "input"> =>
    mutation
      ? {
          method: "POST",
          target: endpoint,
          body: bytes,
          headers: contentType ? { "content-type": contentType } : {},
        }
      : { method: "GET", target: `${endpoint}?input=${q(bytes.toString())}`, headers: {} };

  /** `route` when the case leaves this procedure (unknown or batched names). */
  type Variant = {
    input: string;
    method: string;
    target: string;
    body?: Buffer;
    headers: Record<string, string>;
    route?: string;
    credential?: Labeled<Record<string, string>>;
  };
  // Weighted towards inputs, which differ per procedure; the rest is answered by the same code.
  const variants: { weight: number; arbitrary: fc.Arbitrary<Variant> }[] = [
    {
      weight: 6,
      arbitrary: jsonBodies(base)
        // A query's input travels in the URL, which Node caps at 16 KB with the headers (a 431
        // from Node's parser, before the Lake): bigger ones are for mutations.
        .filter(([, body]) => mutation || body.bytes.length < 4_000)
        .map(([label, body]): Variant => ({
          input: `input:${label.slice(5)}`,
          ...send(body.bytes, body.contentType),
        })),
    },
    {
      weight: 1,
      arbitrary: labeled(
        "input:raw-bad-escape",
        fc.constantFrom("%ZZ", "%7B", "%ED%A0%80", "%00"),
      ).map(([input, raw]) => ({
        input,
        method: mutation ? "POST" : "GET",
        target: `${endpoint}?input=${raw}`,
        headers: {},
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          `batch=1&input=${q('{"0":1e400}')}`,
          `batch=1&input=${q('{"999999":{}}')}`,
          `batch=1&input=${q('{"__proto__":{}}')}`,
          "batch=1&input=[]",
          "batch=1&input=%ZZ",
          "batch=2",
          "batch=1",
        )
        .map((query) => ({
          input: "batch:bad-input",
          method: mutation ? "POST" : "GET",
          target: `${endpoint}?${query}`,
          headers: mutation ? { "content-type": "application/json" } : {},
          body: mutation ? Buffer.from("{}") : undefined,
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          `${procedure.path},`.repeat(200).slice(0, -1),
          `${procedure.path},,`,
          `${procedure.path},system.status,data.datasets.create`,
        )
        .map((paths) => ({
          input: "batch:odd-procedures",
          route: "batch of procedures",
          method: "GET",
          target: `/api/trpc/${paths}?batch=1&input=%7B%7D`,
          headers: {},
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...UNKNOWN_PROCEDURES).map((path): Variant => ({
        input: "procedure:unknown",
        route: "unknown procedure",
        method: "GET",
        target: `/api/trpc/${path}`,
        headers: {},
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "PUT",
          "DELETE",
          "PATCH",
          "TRACE",
          "HEAD",
          "OPTIONS",
          mutation ? "GET" : "POST",
        )
        .map((method): Variant => ({
          input: `method:${method}`,
          method,
          target: endpoint,
          headers: {},
        })),
    },
  ];
  if (mutation) {
    variants.push(
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            "null",
            "garbage",
            "http://evil.example",
            "",
            "http://[::1",
            "file:///",
            "http://127.0.0.1:1",
          )
          .map((bad) => ({
            input: `origin:${bad || "empty"}`,
            method: "POST",
            target: endpoint,
            headers: { origin: bad, "content-type": "application/json" },
            body: Buffer.from("{}"),
          })),
      },
      {
        weight: 1,
        arbitrary: labeled(
          "origin:spoofed-forwarded-host",
          fc.constant({ origin: "http://evil.example", "x-forwarded-host": "evil.example" }),
        ).map(([input, headers]) => ({
          input,
          method: "POST",
          target: endpoint,
          headers: { ...headers, "content-type": "application/json" },
          body: Buffer.from("{}"),
        })),
      },
    );
  }

  // The console's session unless the case is about credentials (tRPC reads the cookie only).
  const session: Labeled<Record<string, string>> = [
    "admin-session",
    { cookie: credentials.sessionCookie },
  ];
  variants.push({
    weight: 1,
    arbitrary: fc
      .oneof(
        labeled("none", fc.constant({})),
        labeled("garbage-cookie", fc.constant({ cookie: "next-auth.session-token=garbage" })),
        labeled(
          "truncated-cookie",
          fc.constant({ cookie: credentials.sessionCookie.slice(0, -4) }),
        ),
        labeled("admin-token", fc.constant({ authorization: `Bearer ${credentials.token}` })),
      )
      .chain((credential) =>
        base.map((value): Variant => ({
          input: `auth:${credential[0]}`,
          credential,
          ...send(Buffer.from(JSON.stringify(value) ?? "")),
          ...(mutation ? { headers: { "content-type": "application/json" } } : {}),
        })),
      ),
  });

  return fc.oneof(...variants).map((variant): HttpCase => {
    const [auth, credentialHeaders] = variant.credential ?? session;
    return {
      kind: "http",
      door: "trpc",
      route: variant.route ?? `${mutation ? "mutation" : "query"} ${procedure.path}`,
      input: variant.input,
      auth,
      method: variant.method,
      target: variant.target,
      // Same-origin unless the case is about Origin: the CSRF check would stop everything else.
      headers: { ...(mutation ? { origin } : {}), ...credentialHeaders, ...variant.headers },
      body: variant.body,
      contract: "trpc",
    };
  });
}

export function trpcCases(targets: FuzzTargets, origin: string): fc.Arbitrary<HttpCase> {
  return fc.oneof(...procedures().map((p) => procedureCases(p, targets, origin)));
}
