import { recordActivityQuerySchema } from "../analytics/platform-activity";
import { timeRangeSchema } from "../analytics/time-range.schemas";
import { windowSeriesQuerySchema } from "../analytics/window-series";
import { describe, expect, it } from "vitest";

import { curlCommand } from "@/components/api-reference/curl";

import { parseExportQuery } from "../data/records/export/parse-export-query";
import { parseRecordQuery } from "../data/records/query/parse-record-query";
import { subscribeRequestSchema } from "../stream/live/subscribe-request";
import { recordParamsSchema } from "../data/records/record-requests.schemas";
import { buildOpenApiDocument } from "./build-openapi";
import { REQUEST_BODY_SCHEMAS, type RequestBodyName } from "./components";
import { HTTP_METHODS } from "./openapi-types";

const doc = buildOpenApiDocument();
const ORIGIN = "https://lake.example.com";

/** Reads back what the console's curl example sends (single-quoted words, `-H`, `-d`). */
function parseCurl(command: string) {
  const words = [...command.matchAll(/'((?:[^']|'\\'')*)'|"([^"]*)"|(\S+)/g)].map(
    ([, single, double, bare]) => single?.replaceAll("'\\''", "'") ?? double ?? bare!,
  );
  const url = new URL(words.find((word) => word.startsWith(ORIGIN))!);
  const method = words[1] === "-X" ? words[2]! : "GET";
  const headers = new Headers();
  let body: unknown;
  words.forEach((word, index) => {
    const next = words[index + 1]!;
    if (word === "-H") headers.set(next.slice(0, next.indexOf(":")), next.split(": ")[1]!);
    if (word === "-d") body = JSON.parse(next);
  });
  return { method, url, headers, body };
}

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  HTTP_METHODS.flatMap((method) =>
    item[method] ? [{ path, method, operation: item[method] }] : [],
  ),
);

describe("the console's curl examples", () => {
  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    "%s is a request the API accepts",
    (_, { path, method, operation }) => {
      const curl = parseCurl(
        curlCommand({ origin: ORIGIN, method, path, operation, components: doc.components }),
      );
      expect(curl.method).toBe(method.toUpperCase());
      expect(curl.url.pathname).not.toMatch(/[{}]/);
      if (path.startsWith("/api/v1/lake/data/{id}")) {
        // The segment after /data/: sub-resources (…/{id}/embeddings/{type}) follow it.
        const id = curl.url.pathname.split("/")[5];
        expect(() => recordParamsSchema.parse({ id })).not.toThrow();
      }
      if (path === "/api/v1/lake/data" && method === "get") {
        expect(curl.url.searchParams.size).toBeGreaterThan(2);
        expect(() => parseRecordQuery(curl.url.searchParams)).not.toThrow();
      } else if (path === "/api/v1/lake/data/export") {
        expect(curl.url.searchParams.get("format")).toBe("csv");
        expect(() => parseExportQuery(curl.url.searchParams)).not.toThrow();
      } else if (path.startsWith("/api/v1/lake/analytics/")) {
        const schema = {
          "/api/v1/lake/analytics/series": windowSeriesQuerySchema,
          "/api/v1/lake/analytics/records": recordActivityQuerySchema,
          "/api/v1/lake/analytics/imports": timeRangeSchema,
        }[path]!;
        expect(() => schema.parse(Object.fromEntries(curl.url.searchParams))).not.toThrow();
      } else if (path === "/api/v1/lake/stream") {
        const topics = curl.url.searchParams.get("topics")?.split(",");
        expect(() => subscribeRequestSchema.parse({ topics })).not.toThrow();
      } else {
        expect(curl.url.search).toBe("");
      }
      expect(curl.headers.has("authorization")).toBe(Boolean(operation.security?.length));
      const ref = operation.requestBody?.content["application/json"]?.schema?.$ref;
      if (typeof ref === "string") {
        const schema = REQUEST_BODY_SCHEMAS[ref.split("/").at(-1) as RequestBodyName];
        expect(curl.headers.get("content-type")).toBe("application/json");
        expect(() => schema.parse(curl.body)).not.toThrow();
      } else {
        expect(curl.body).toBeUndefined();
      }
    },
  );

  it("quotes for the shell", () => {
    const command = curlCommand({
      origin: ORIGIN,
      method: "post",
      path: "/x",
      operation: {
        responses: {},
        requestBody: {
          content: { "application/json": { example: { name: "it's" } } },
        },
      },
      components: doc.components,
    });
    expect(parseCurl(command).body).toEqual({ name: "it's" });
  });
});
