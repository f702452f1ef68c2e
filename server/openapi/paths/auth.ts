import { AUTHENTICATED, jsonBody, jsonResponse } from "../components";
import { errorResponses } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

export function authPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/auth/token": {
      post: {
        tags: ["Auth"],
        operationId: "createToken",
        summary: "Exchange an API key or credentials for a token",
        description:
          "Answers a one-hour HS256 JWT to send as `Authorization: Bearer`. A token from an API " +
          "key carries the key's scopes and stops working with the key (revoked, expired, or " +
          "rotated past its grace period). With email and password, `totp` (a TOTP or backup " +
          "code) is required when the user has MFA on: without it the answer is a 401 with " +
          '`details.reason = "mfa_required"`. Attempts are limited to 10 per 15 minutes per ' +
          "account and per IP.",
        "x-permission": "none",
        security: [],
        requestBody: jsonBody("TokenRequest", "An API key, or an email and password.", {
          apiKey: { summary: "With an API key", value: { api_key: "dpl_…" } },
          credentials: {
            summary: "With email, password and TOTP",
            value: { email: "ada@example.com", password: "correct horse", totp: "123456" },
          },
        }),
        responses: {
          "200": jsonResponse("A Bearer token.", "TokenResponse"),
          ...errorResponses(400, 401, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/me": {
      get: {
        tags: ["Auth"],
        operationId: "getMe",
        summary: "Who am I",
        description:
          "Who the credential belongs to and what it may do: the first call an API consumer makes.",
        "x-permission": "authenticated",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The caller's identity and permissions.", "Me"),
          ...errorResponses(401, 500, 503),
        },
      },
    },
  };
}
