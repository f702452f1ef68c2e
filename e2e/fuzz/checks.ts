import { ERROR_STATUS } from "../../server/errors/app-error";
import { type HttpCase } from "./fuzz-case";

// What an answer must be (README "Errors"): never 5xx; on /api/**, every 4xx is the envelope
// {error_code, message, details, timestamp} whose error_code has that status in the one map
// (server/errors/app-error.ts); tRPC carries the same error_code in its own error shape.

const ENVELOPE_KEYS = "details,error_code,message,timestamp";
const statusOf = (code: unknown) =>
  ERROR_STATUS[code as keyof typeof ERROR_STATUS] as number | undefined;

function parse(body: Buffer): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (body.length === 0) return { ok: false, problem: "error body is empty" };
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
  } catch {
    return { ok: false, problem: "error body is not JSON" };
  }
}

function envelopeProblem(httpCase: HttpCase, status: number, value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "error body is not the envelope";
  const body = value as Record<string, unknown>;
  if (Object.keys(body).sort().join(",") !== ENVELOPE_KEYS) return "error body is not the envelope";
  if (typeof body.error_code !== "string" || typeof body.message !== "string")
    return "error body is not the envelope";
  if (Number.isNaN(Date.parse(String(body.timestamp)))) return "envelope timestamp is not a time";
  // tus keeps its protocol's own statuses for two answers (410 expired, 460 checksum mismatch).
  const tusStatus = httpCase.door === "tus" && (status === 410 || status === 460);
  if (!tusStatus && statusOf(body.error_code) !== status)
    return `error_code ${body.error_code} sent with status ${status}`;
  return undefined;
}

function trpcProblem(status: number, value: unknown): string | undefined {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const error = (
      item as { error?: { data?: { error_code?: unknown; httpStatus?: unknown } } } | null
    )?.error;
    if (!error) {
      if (!Array.isArray(value)) return "tRPC error body without an error";
      continue;
    }
    const code = error.data?.error_code;
    if (typeof code !== "string") return "tRPC error without data.error_code";
    if (statusOf(code) !== error.data?.httpStatus)
      return `tRPC error_code ${code} with httpStatus ${String(error.data?.httpStatus)}`;
    if (!Array.isArray(value) && error.data?.httpStatus !== status)
      return `tRPC httpStatus ${String(error.data?.httpStatus)} sent with status ${status}`;
  }
  return undefined;
}

/**
 * What the custom server refuses before any door sees the request (refuse-unroutable.ts): a
 * method no route takes, a path no route matches, a path that is not even a path. Those answers
 * are the envelope on every /api path, tRPC's included: a tRPC client never sends them.
 */
const ROUTING_CODES = new Set(["method_not_allowed", "not_found", "bad_request"]);
const isRoutingRefusal = (httpCase: HttpCase, status: number, value: unknown) =>
  envelopeProblem(httpCase, status, value) === undefined &&
  ROUTING_CODES.has((value as { error_code: string }).error_code);

/** The rules an answer to `httpCase` breaks, as short stable phrases (the report groups by them). */
export function judgeHttp(httpCase: HttpCase, status: number, body: Buffer): string[] {
  const violations: string[] = [];
  if (status >= 500) violations.push(`status ${status}`);
  const onApi = httpCase.target.includes("/api/");
  if (status < 400 || httpCase.method === "HEAD" || !onApi) return violations;
  const parsed = parse(body);
  const problem = !parsed.ok
    ? parsed.problem
    : httpCase.contract === "trpc"
      ? isRoutingRefusal(httpCase, status, parsed.value)
        ? undefined
        : trpcProblem(status, parsed.value)
      : envelopeProblem(httpCase, status, parsed.value);
  if (problem) violations.push(problem);
  return violations;
}
