import fc from "fast-check";

import { invalidCredential, validCredential } from "./credentials";
import { type FuzzTargets, type HttpCase, type Seeds } from "./fuzz-case";
import { jsonBodies } from "./json-bodies";
import { badHeaderValue, badSegment, labeled, q, type Labeled } from "./malformed";
import { badQuery } from "./openapi-query";
import { refResolver, schemaValue, type JsonSchema } from "./schema-values";

// Cases for every operation of the served OpenAPI document. Each case breaks one thing (a path
// parameter, one query parameter, the body, the method or a header) and keeps the rest plausible,
// so the report can say which input of which operation the Lake mishandles.

type Parameter = { name: string; in: string; schema?: JsonSchema; $ref?: string };
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema and the document's examples of it (`example` or `examples`). */
  body?: { schema: JsonSchema; examples: unknown[] };
};

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];

export function operationsOf(document: Record<string, unknown>): Operation[] {
  const resolve = refResolver(document);
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => {
        const parameters = ((op.parameters ?? []) as Parameter[]).map((p) =>
          p.$ref ? (resolve(p.$ref) as unknown as Parameter) : p,
        );
        const content = (
          op.requestBody as
            | {
                content?: Record<
                  string,
                  {
                    schema: JsonSchema;
                    example?: unknown;
                    examples?: Record<string, { value: unknown }>;
                  }
                >;
              }
            | undefined
        )?.content?.["application/json"];
        const body = content && {
          schema: content.schema,
          examples: [
            ...(content.example === undefined ? [] : [content.example]),
            ...Object.values(content.examples ?? {}).map((e) => e.value),
          ],
        };
        return { method: method.toUpperCase(), path, parameters, body };
      }),
  );
}

/** The operation's example with the planted rows in place of its illustrative names and ids. */
function seedExample(value: unknown, seeds: Seeds, key = ""): unknown {
  if (key === "dataset") return seeds.datasetName;
  if (key === "id" || key === "record_id") return seeds.recordId;
  if (key === "upload_id") return seeds.uploadId;
  if (Array.isArray(value)) return value.map((v) => seedExample(v, seeds));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, seedExample(v, seeds, k)]));
  }
  return value;
}

/** A value for a path parameter that names something real, so the rest of the request counts. */
function plausibleParam(op: Operation, name: string, seeds: Seeds): string {
  if (op.path.includes("/datasets/")) return seeds.datasetName;
  if (name === "type") return "TEXT";
  if (op.path.includes("/import/jobs/")) return "00000000-0000-4000-8000-000000000000";
  return seeds.recordId;
}

const ODD_METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "TRACE",
  "OPTIONS",
  "HEAD",
  "PROPFIND",
  "SEARCH",
];

function badHeaders(): fc.Arbitrary<Labeled<Record<string, string>>> {
  const named = (header: string) =>
    badHeaderValue.map(([label, value]): Labeled<Record<string, string>> => [
      `header:${header}:${label}`,
      { [header]: value },
    ]);
  return fc.oneof(
    named("if-none-match"),
    named("if-match"),
    named("idempotency-key"),
    named("x-request-id"),
    named("accept"),
    named("x-forwarded-for"),
    labeled(
      "header:host",
      fc
        .constantFrom("", "[::1", "evil.example", "a".repeat(300), "127.0.0.1:0")
        .map((host) => ({ host })),
    ),
    labeled(
      "header:expect",
      fc.constantFrom("100-continue", "garbage").map((expect) => ({ expect })),
    ),
    labeled(
      "header:content-encoding",
      fc.constantFrom("gzip", "br", "x-garbage").map((e) => ({ "content-encoding": e })),
    ),
    labeled(
      "header:range",
      fc.constantFrom("bytes=0-0", "bytes=-1,5-2", "garbage").map((range) => ({ range })),
    ),
  );
}

function operationCases(op: Operation, document: Record<string, unknown>, targets: FuzzTargets) {
  const { seeds } = targets;
  const resolve = refResolver(document);
  const pathParams = op.parameters.filter((p) => p.in === "path").map((p) => p.name);
  const fill = (broken?: { name: string; value: string }) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      broken?.name === name ? broken.value : q(plausibleParam(op, name, seeds)),
    );

  const base = op.body
    ? fc.oneof(
        ...op.body.examples.map((example) => fc.constant(seedExample(example, seeds))),
        schemaValue(op.body.schema, { resolve, seeds }),
      )
    : undefined;
  const plausibleBody = base?.map((v) => Buffer.from(JSON.stringify(v) ?? ""));
  const plausibleQuery =
    op.path === "/api/v1/lake/data" && op.method === "GET" ? `dataset=${seeds.datasetName}` : "";

  type Variant = {
    input: string;
    target?: string;
    query?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer;
    credential?: Labeled<Record<string, string>>;
  };
  // Weighted towards the inputs operations differ in (query, body); methods and headers are
  // answered by the same code on every route.
  const variants: { weight: number; arbitrary: fc.Arbitrary<Variant> }[] = [
    {
      // A broken path parameter, or for paths without one a broken extra segment.
      weight: 4,
      arbitrary: badSegment.chain(([label, value]) =>
        pathParams.length
          ? fc
              .constantFrom(...pathParams)
              .map((name): Variant => ({ input: `path:${label}`, target: fill({ name, value }) }))
          : fc.constant<Variant>({
              input: `path:extra-segment:${label}`,
              target: `${op.path}/${value}`,
            }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...ODD_METHODS.filter((m) => m !== op.method), "FUZZ")
        .map((method): Variant => ({
          input: method === "FUZZ" ? "method:unknown-token" : `method:${method}`,
          method,
        })),
    },
    { weight: 2, arbitrary: badHeaders().map(([input, headers]): Variant => ({ input, headers })) },
    {
      weight: 3,
      arbitrary: invalidCredential(targets.credentials).map((credential): Variant => ({
        input: `auth:${credential[0]}`,
        credential,
      })),
    },
  ];
  if (op.parameters.some((p) => p.in === "query"))
    variants.push({
      weight: 8,
      arbitrary: badQuery(
        op.parameters.filter((p) => p.in === "query").map((p) => p.name),
        seeds,
      ).map(([input, query]): Variant => ({ input, query })),
    });
  if (base) {
    variants.push({
      weight: 10,
      arbitrary: jsonBodies(base).map(([input, body]): Variant => ({
        input,
        body: body.bytes,
        headers: body.contentType ? { "content-type": body.contentType } : {},
      })),
    });
  }

  return fc
    .tuple(
      fc.oneof(...variants),
      // Valid unless the case is about credentials: a 401 would stop any other input unread.
      validCredential(targets.credentials),
      plausibleBody ?? fc.constant(undefined),
    )
    .map(([variant, valid, plausible]): HttpCase => {
      const [auth, credentialHeaders] = variant.credential ?? valid;
      const query = [plausibleQuery, variant.query].filter(Boolean).join("&");
      const body = variant.body ?? (variant.input.startsWith("body:") ? undefined : plausible);
      const method = variant.method ?? op.method;
      return {
        kind: "http",
        door: "openapi",
        route: `${op.method} ${op.path}`,
        input: variant.input,
        auth,
        method,
        target: `${variant.target ?? fill()}${query ? `?${query}` : ""}`,
        headers: {
          ...(body && !variant.input.startsWith("body:")
            ? { "content-type": "application/json" }
            : {}),
          ...credentialHeaders,
          ...variant.headers,
        },
        // An unknown method is refused by Node's parser at the request line, often while the
        // client is still writing a body (a reset instead of the 400): it goes without one.
        body: ["GET", "HEAD", "FUZZ"].includes(method) ? undefined : body,
        contract: "envelope",
      };
    });
}

/**
 * Cases for every operation of the document, weighted by how much input it takes: GET /data's
 * thirteen query parameters or a JSON body deserve more cases than GET /health.
 */
export function openapiCases(
  document: Record<string, unknown>,
  targets: FuzzTargets,
): fc.Arbitrary<HttpCase> {
  return fc.oneof(
    ...operationsOf(document).map((op) => ({
      weight: 2 + op.parameters.filter((p) => p.in === "query").length + (op.body ? 6 : 0),
      arbitrary: operationCases(op, document, targets),
    })),
  );
}
