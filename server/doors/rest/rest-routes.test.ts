import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { describe, expect, it } from "vitest";

import { buildOpenApiDocument } from "../../openapi/build-openapi";
import { routeMatcher, type RouteModule } from "./node-route-adapter";
import { restRouteModules, restRoutes } from "./rest-routes";

const APP = path.resolve("app");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
// Routes whose handlers belong to a library's door of their own, not to the REST table.
const NOT_REST = new Set(["/api/auth/[...nextauth]", "/api/trpc/[trpc]"]);

/** Every `route.ts` under app/, as the URL pattern Next serves it at (route groups left out). */
function nextFileRoutes(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const entry of readdirSync(APP, { recursive: true, encoding: "utf8" })) {
    if (path.basename(entry) !== "route.ts") continue;
    const segments = path
      .dirname(entry)
      .split(path.sep)
      .filter((segment) => segment !== "." && !/^\(.*\)$/.test(segment));
    routes.set(`/${segments.join("/")}`, path.join(APP, entry));
  }
  return routes;
}

describe("the REST route table", () => {
  const fileRoutes = nextFileRoutes();

  it("has exactly the patterns of Next's file routes", () => {
    const served = [...fileRoutes.keys()].filter((pattern) => !NOT_REST.has(pattern)).sort();
    expect(Object.keys(restRoutes).sort()).toEqual(served);
  });

  it.each(Object.keys(restRoutes))("%s: Next serves the table's own handlers", async (pattern) => {
    const file = fileRoutes.get(pattern);
    expect(file, `app/ has no route.ts for ${pattern}`).toBeDefined();
    const nextModule = (await import(pathToFileURL(file!).href)) as Record<string, unknown>;
    const { module } = restRoutes[pattern]!;
    const methodsOf = (exports: object) => METHODS.filter((method) => method in exports);
    expect(methodsOf(nextModule)).toEqual(methodsOf(module));
    for (const method of methodsOf(module)) {
      expect(nextModule[method], `${method} ${pattern}`).toBe(
        module[method as keyof typeof module],
      );
    }
  });
});

describe("the OpenAPI document", () => {
  const match = routeMatcher(restRouteModules());
  const operations = Object.entries(buildOpenApiDocument().paths).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([method]) => METHODS.includes(method.toUpperCase()))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        permission: (operation as { "x-permission"?: string })["x-permission"],
      })),
  );

  it.each(operations)(
    "$method $path: x-permission is what the route enforces",
    ({ method, path, permission }) => {
      // A concrete URL for the templated path, found the way the custom server finds routes.
      const found = match(path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000"));
      expect(found?.pattern, `no route serves ${path}`).not.toBe("/api/v1/lake/[...path]");
      const handler = found?.module[method as keyof RouteModule] as
        { permission?: string } | undefined;
      expect(handler, `${method} ${path} has no handler`).toBeDefined();
      expect(handler!.permission ?? "none").toBe(permission);
    },
  );
});
