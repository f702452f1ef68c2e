import { authenticateRequest } from "../../auth/authenticate-request";
import { authorize } from "../../auth/authorize";
import { type Permission, type Principal } from "../../auth/principal";
import { cacheServices } from "../../cache/client";
import { database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { consumeRateLimit, type RateLimitRule } from "../rate-limits";
import { rateLimitHeaders } from "../rate-limit-headers";
import { clientIpFrom } from "./client-ip";
import { serviceContext, type ServiceContext } from "../../service-context";
import { route, type RouteConfig, type RouteInput } from "./route";

export type ApiRouteConfig<B, Q, P> = Omit<RouteConfig<B, Q, P>, "handler" | "guard"> & {
  /** What the caller needs: a permission, or just to be signed in. Policies live in services. */
  permission: Permission | "authenticated";
  rateLimit?: RateLimitRule;
  /** `services` is the ServiceContext of the caller, for the one service the handler calls. */
  handler: (
    input: RouteInput<B, Q, P> & { principal: Principal; services: ServiceContext },
  ) => Promise<Response | object>;
};

/**
 * An /api/v1/lake endpoint: authentication (session, JWT or API key) → permission → rate limit →
 * validation → handler. The one place these rules are applied for REST.
 */
export function apiRoute<B = undefined, Q = undefined, P = undefined>(
  config: ApiRouteConfig<B, Q, P>,
) {
  const { permission, rateLimit, handler, ...rest } = config;
  const handle = route<B, Q, P>({
    ...rest,
    guard: async ({ request, headers }) => {
      const principal = await authenticateRequest({
        db: database(),
        headers: request.headers,
        ip: clientIpFrom(request.headers),
      });
      if (!principal) {
        throw new AppError(
          "unauthorized",
          "Authentication required: send a Bearer token or an API key.",
        );
      }
      if (permission !== "authenticated") authorize(principal, permission);
      if (rateLimit) {
        // A refusal carries its headers in the AppError; an allowed request gets them here.
        const result = await consumeRateLimit({
          cache: cacheServices(),
          principal,
          rule: rateLimit,
        });
        for (const [name, value] of Object.entries(rateLimitHeaders(result)))
          headers.set(name, value);
      }
      return principal;
    },
    handler: (input) => {
      const principal = input.principal!;
      const services = serviceContext({
        principal,
        ip: clientIpFrom(input.request.headers),
        requestId: input.requestId,
      });
      return handler({ ...input, principal, services });
    },
  });
  // Read by rest-routes.test.ts, which holds the OpenAPI document's x-permission to it.
  return Object.assign(handle, { permission });
}
