import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";

import { GET as serveDocument } from "../doors/rest/routes/openapi-document";
import { type TokenResponse } from "../auth/access-token";
import { tokenRequestSchema } from "../auth/exchange-token";
import {
  createDatasetBodySchema,
  updateDatasetBodySchema,
} from "../data/datasets/datasets.schemas";
import { archiveCriteriaSchema } from "../data/records/archive.schemas";
import { batchBodySchema } from "../data/records/batch.schemas";
import { aggregationRuleInputSchema } from "../stream/windows/aggregation-rule.schemas";
import { alertRuleInputSchema } from "../stream/alerts/alert-rule.schemas";
import { recomputeBodySchema } from "../stream/windows/recompute-window";
import { webhookInputSchema } from "../stream/webhooks/webhook.schemas";
import { ingestBodySchema } from "../stream/events/event-input.schemas";
import { parsePayloadFilter } from "../data/records/query/parse-payload-filter";
import { parseRecordQuery } from "../data/records/query/parse-record-query";
import { type QueryRecordsResult } from "../data/records/query-records";
import {
  createRecordsBodySchema,
  replaceRecordBodySchema,
} from "../data/records/record-requests.schemas";
import { type BatchResult } from "../data/records/run-batch";
import { type setArchived } from "../data/records/set-archived";
import { ERROR_STATUS, type ErrorCode } from "../errors/app-error";
import { startJobBodySchema } from "../imports/imports.schemas";
import { type ErrorEnvelope } from "../doors/rest/error-response";
import { type ReadinessReport } from "../observability/readiness";
import {
  bulkEmbeddingsBodySchema,
  putEmbeddingBodySchema,
  searchBodySchema,
  tuneIndexBodySchema,
} from "../vectors/vectors.schemas";
import { GRAPHQL_PATH } from "../doors/graphql/graphql-server";
import { restRoutes } from "../doors/rest/rest-routes";
import { buildOpenApiDocument } from "./build-openapi";
import {
  HTTP_METHODS,
  type JsonSchema,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
} from "./openapi-types";
import { PAYLOAD_OPERATORS } from "./paths/record-query-parameters";
import {
  type archiveResultSchema,
  type batchResultSchema,
  type errorEnvelopeSchema,
  type readinessSchema,
  type recordPageSchema,
  type tokenResponseSchema,
} from "./response-schemas";

const doc = buildOpenApiDocument();

/** Operations that need no credential; every other /api/v1/lake operation needs one. */
const PUBLIC_OPERATIONS = new Set([
  "POST /api/v1/lake/auth/token",
  "GET /api/v1/lake/openapi.json",
]);

const operations = Object.entries(doc.paths).flatMap(([route, item]) =>
  HTTP_METHODS.flatMap((method) => {
    const operation = item[method];
    return operation ? [{ key: `${method.toUpperCase()} ${route}`, route, method, operation }] : [];
  }),
);

function resolve<T>(value: T | { $ref: string }): T {
  if (typeof value !== "object" || value === null || !("$ref" in value)) return value;
  const pointer = value.$ref;
  expect(pointer, "only local references").toMatch(/^#\//);
  const target = pointer
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
  expect(target, `${pointer} resolves`).toBeDefined();
  return resolve(target as T);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

const jsonSchemaFor = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
  }) as JsonSchema;
  return rest;
};

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document (@readme/openapi-parser, offline)", async () => {
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.specification).toBe("OpenAPI");
    expect(result.warnings).toEqual([]);
  });

  it("is served without a credential at GET /api/v1/lake/openapi.json", async () => {
    const response = await serveDocument(new Request("http://lake.test/api/v1/lake/openapi.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(doc);
  });

  it("is plain JSON, built once", () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(buildOpenApiDocument()).toBe(doc);
  });

  it("resolves every $ref within the document", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) resolve({ $ref: ref });
  });

  it("describes exactly the routes that exist under app/ (the REST route table)", () => {
    // The catch-alls (the 404 and the tus protocol) are described in prose, not as operations;
    // GraphQL, served from the same table, documents itself (its SDL, by introspection).
    const implemented = Object.entries(restRoutes)
      .filter(([pattern]) => !pattern.includes("[...") && pattern !== GRAPHQL_PATH)
      .flatMap(([pattern, { module }]) =>
        (["GET", "POST", "PUT", "PATCH", "DELETE"] as const)
          .filter((method) => module[method])
          .map((method) => `${method} ${pattern.replace(/\[([^\]]+)\]/g, "{$1}")}`),
      );
    expect(operations.map((o) => o.key).sort()).toEqual(implemented.sort());
  });

  it("gives every operation a unique id, a tag, a summary and a success response", () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    const tags = new Set(doc.tags?.map((tag) => tag.name));
    for (const { key, operation } of operations) {
      expect(operation.summary, key).toBeTruthy();
      expect(tags, key).toContain(operation.tags?.[0]);
      expect(
        Object.keys(operation.responses).some((s) => /^[23]\d\d$/.test(s)),
        key,
      ).toBe(true);
    }
  });

  it("requires a credential for every /api/v1/lake operation but the token and this document", () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      "apiKeyHeader",
      "bearerAuth",
    ]);
    for (const { key, route, operation } of operations) {
      if (route.startsWith("/api/v1/lake") && !PUBLIC_OPERATIONS.has(key)) {
        expect(operation.security, key).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
        expect(operation.responses, key).toHaveProperty("401");
      } else {
        expect(operation.security, key).toEqual([]);
      }
    }
  });

  it("answers every error with the one envelope", () => {
    for (const { key, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, key).toContain("500");
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const response = resolve<ResponseObject>(operation.responses[status]!);
        expect(response.content?.["application/json"]?.schema, `${key} ${status}`).toEqual({
          $ref: "#/components/schemas/ErrorEnvelope",
        });
        expect(response.headers, `${key} ${status}`).toHaveProperty("X-Request-Id");
      }
    }
  });

  it("has one shared error response per status, naming the codes of that status", () => {
    // 405, 417 and 431 are answered before an operation is chosen (error-responses.ts).
    const statuses = new Set<number>(
      Object.values(ERROR_STATUS).filter((s) => ![405, 417, 431].includes(s)),
    );
    const responses = Object.values(doc.components.responses);
    expect(responses).toHaveLength(statuses.size);
    for (const response of responses) {
      const example = response.content!["application/json"]!.example as { error_code: ErrorCode };
      const status = ERROR_STATUS[example.error_code];
      statuses.delete(status);
      for (const [code, codeStatus] of Object.entries(ERROR_STATUS)) {
        if (codeStatus === status) expect(response.description).toContain(`\`${code}\``);
      }
    }
    expect([...statuses]).toEqual([]);
    const tooMany = doc.components.responses.TooManyRequests!;
    expect(Object.keys(tooMany.headers!)).toEqual(
      expect.arrayContaining([
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
      ]),
    );
    expect(doc.components.responses.ServiceUnavailable!.headers).toHaveProperty("Retry-After");
  });

  it("documents the envelope as server/doors/rest/error-response.ts renders it", () => {
    expect(doc.components.schemas.ErrorEnvelope).toMatchObject({
      required: ["error_code", "message", "details", "timestamp"],
    });
  });
});

describe("request bodies", () => {
  // The schema objects the route files pass to route()/apiRoute() as `body`.
  const bodies: Record<string, z.ZodType> = {
    "POST /api/v1/lake/auth/token": tokenRequestSchema,
    "POST /api/v1/lake/data": createRecordsBodySchema,
    "PUT /api/v1/lake/data/{id}": replaceRecordBodySchema,
    "POST /api/v1/lake/batch": batchBodySchema,
    "POST /api/v1/lake/data/archive": archiveCriteriaSchema,
    "POST /api/v1/lake/data/restore": archiveCriteriaSchema,

    "POST /api/v1/lake/datasets": createDatasetBodySchema,
    "PATCH /api/v1/lake/datasets/{id}": updateDatasetBodySchema,
    "PUT /api/v1/lake/data/{id}/embeddings/{type}": putEmbeddingBodySchema,
    "POST /api/v1/lake/vectors/embeddings": bulkEmbeddingsBodySchema,
    "POST /api/v1/lake/vectors/search": searchBodySchema,
    "POST /api/v1/lake/vectors/indexes/tune": tuneIndexBodySchema,
    "POST /api/v1/lake/import/jobs": startJobBodySchema,
    "POST /api/v1/lake/stream/events": ingestBodySchema,
    "POST /api/v1/lake/windows/rules": aggregationRuleInputSchema,
    "POST /api/v1/lake/alerts/rules": alertRuleInputSchema,
    "POST /api/v1/lake/windows/rules/{rule}/recompute": recomputeBodySchema,
    "POST /api/v1/lake/alerts/webhooks": webhookInputSchema,
  };

  it("are documented for exactly the operations that read one", () => {
    const withBody = operations.filter((o) => o.operation.requestBody).map((o) => o.key);
    expect(withBody.sort()).toEqual(Object.keys(bodies).sort());
  });

  it.each(Object.entries(bodies))("%s: the schema is the route's zod schema", (key, schema) => {
    const { operation } = operations.find((o) => o.key === key)!;
    const body = operation.requestBody!;
    expect(body.required).toBe(true);
    expect(Object.keys(body.content)).toEqual(["application/json"]);
    expect(resolve(body.content["application/json"]!.schema!)).toEqual(jsonSchemaFor(schema));
  });

  it.each(Object.entries(bodies))(
    "%s: every example passes the route's validation",
    (key, schema) => {
      const media = operations.find((o) => o.key === key)!.operation.requestBody!.content[
        "application/json"
      ]!;
      const examples = media.examples ? Object.values(media.examples).map((e) => e.value) : [];
      if ("example" in media) examples.push(media.example);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(() => schema.parse(example)).not.toThrow();
    },
  );
});

describe("GET /api/v1/lake/data parameters", () => {
  const parameters = (
    operations.find((o) => o.key === "GET /api/v1/lake/data")!.operation.parameters ?? []
  ).map((p) => resolve<ParameterObject>(p));
  const named = (name: string) => parameters.find((p) => p.name === name)!;
  const query = (entries: [string, unknown][]) =>
    new URLSearchParams(entries.map(([key, value]) => [key, String(value)]));

  it("has examples that parseRecordQuery accepts, alone and together (the curl sample)", () => {
    const sample: [string, unknown][] = [];
    for (const parameter of parameters) {
      const values = [
        ...("example" in parameter ? [parameter.example] : []),
        ...Object.values(parameter.examples ?? {}).map((e) => e.value),
      ];
      expect(values.length, parameter.name).toBeGreaterThan(0);
      for (const value of values) {
        const entries: [string, unknown][] =
          parameter.style === "form" && parameter.explode
            ? Object.entries(value as Record<string, string>)
            : [[parameter.name, value]];
        expect(() => parseRecordQuery(query(entries)), parameter.name).not.toThrow();
        if ("example" in parameter && value === parameter.example) sample.push(...entries);
      }
    }
    expect(sample.length).toBeGreaterThan(2);
    expect(() => parseRecordQuery(query(sample))).not.toThrow();
  });

  it("documents every filter operator, each with a working example", () => {
    for (const [op, { example }] of Object.entries(PAYLOAD_OPERATORS)) {
      expect(parsePayloadFilter(...example).condition.op).toBe(op);
      expect(parsePayloadFilter(example[0], `not.${example[1]}`).negate).toBe(true);
      expect(named("payload.<path>").description).toContain(`\`${op}\``);
    }
    expect(() => parsePayloadFilter("payload.a", "nope.1")).toThrow(/unknown operator/);
  });

  it("states the parser's defaults and limits", () => {
    const defaults = parseRecordQuery(new URLSearchParams());
    const limit = named("limit").schema as { default: number; maximum: number; minimum: number };
    expect(defaults.limit).toBe(limit.default);
    expect(() => parseRecordQuery(query([["limit", limit.maximum]]))).not.toThrow();
    expect(() => parseRecordQuery(query([["limit", limit.maximum + 1]]))).toThrow();
    expect(() => parseRecordQuery(query([["limit", limit.minimum - 1]]))).toThrow();
    expect(defaults.archived).toBe(named("archived").schema.default);
    for (const value of named("archived").schema.enum as string[]) {
      expect(parseRecordQuery(query([["archived", value]])).archived).toBe(value);
    }
    expect(defaults.order[0]).toMatchObject({ column: "created_at", direction: "desc" });
    expect(named("order").schema.default).toBe("created_at.desc");
    expect(() => parseRecordQuery(query([["not_a_parameter", "1"]]))).toThrow();
  });
});

describe("response schemas", () => {
  it("have the types the services return", () => {
    // Checked by `tsc`: a field added to a service's answer must be added to its schema.
    expectTypeOf<z.output<typeof tokenResponseSchema>>().toEqualTypeOf<TokenResponse>();
    expectTypeOf<z.output<typeof recordPageSchema>>().toEqualTypeOf<QueryRecordsResult>();
    expectTypeOf<z.output<typeof readinessSchema>>().toEqualTypeOf<ReadinessReport>();
    expectTypeOf<z.output<typeof archiveResultSchema>>().toEqualTypeOf<
      Awaited<ReturnType<typeof setArchived>>
    >();
    expectTypeOf<z.output<typeof batchResultSchema>>().toExtend<BatchResult>();
    expectTypeOf<BatchResult>().toExtend<z.input<typeof batchResultSchema>>();
    expectTypeOf<z.output<typeof errorEnvelopeSchema>>().toExtend<ErrorEnvelope>();
    expectTypeOf<keyof ErrorEnvelope>().toEqualTypeOf<keyof z.output<typeof errorEnvelopeSchema>>();
  });

  it("are referenced by name from the operations", () => {
    const used = new Set(refsIn(doc.paths).concat(refsIn(doc.components.responses)));
    for (const name of Object.keys(doc.components.schemas)) {
      const ref = `#/components/schemas/${name}`;
      const nested = refsIn(doc.components.schemas).includes(ref);
      expect(used.has(ref) || nested, name).toBe(true);
    }
  });

  it("describe each operation's success answer", () => {
    const expected: Record<string, string> = {
      "POST /api/v1/lake/auth/token": "TokenResponse",
      "GET /api/v1/lake/me": "Me",
      "GET /api/v1/lake/data": "RecordPage",
      "GET /api/v1/lake/data/{id}": "RecordView",
      "PUT /api/v1/lake/data/{id}": "RecordView",
      "POST /api/v1/lake/batch": "BatchResponse",
      "GET /api/v1/lake/datasets": "DatasetList",
      "POST /api/v1/lake/datasets": "DatasetView",
      "GET /api/v1/lake/datasets/{id}": "DatasetView",
      "PATCH /api/v1/lake/datasets/{id}": "DatasetView",
      "POST /api/v1/lake/data/archive": "ArchiveResult",
      "POST /api/v1/lake/data/restore": "ArchiveResult",
    };
    for (const [key, name] of Object.entries(expected)) {
      const { operation } = operations.find((o) => o.key === key)!;
      const [status, response] = Object.entries(operation.responses).find(([s]) =>
        s.startsWith("2"),
      )!;
      expect((response as ResponseObject).content?.["application/json"]?.schema, key).toEqual({
        $ref: `#/components/schemas/${name}`,
      });
      expect(status, key).toBe(key.startsWith("POST /api/v1/lake/datasets") ? "201" : "200");
    }
  });

  it("document ETags and conditional requests on single records", () => {
    const op = (key: string): OperationObject => operations.find((o) => o.key === key)!.operation;
    expect(op("GET /api/v1/lake/data/{id}").responses).toHaveProperty("304");
    expect(op("PUT /api/v1/lake/data/{id}").responses).toHaveProperty("412");
    expect(op("DELETE /api/v1/lake/data/{id}").responses).toHaveProperty("412");
    expect(
      resolve<ResponseObject>(op("GET /api/v1/lake/data/{id}").responses["200"]!).headers,
    ).toHaveProperty("ETag");
  });
});
