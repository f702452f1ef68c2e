/** The Lake's entry points the fuzzer knocks on, each with its own generator. */
export type Door = "openapi" | "trpc" | "tus" | "ws";

/**
 * What a 4xx/5xx answer must look like: the REST error envelope, or tRPC's error shape carrying
 * the envelope's `error_code` (server/trpc/init.ts errorFormatter).
 */
export type Contract = "envelope" | "trpc";

type CaseBase = {
  door: Door;
  /** The operation as the report groups it, e.g. `GET /api/v1/lake/data/{id}`. */
  route: string;
  /** The kind of malformation, e.g. `path:bad-percent-escape`: the report's second grouping key. */
  input: string;
  /** Which credential was sent (`admin-token`, `garbage-bearer`, `none`, …). */
  auth: string;
};

export type HttpCase = CaseBase & {
  kind: "http";
  method: string;
  /** The request target exactly as sent: generators percent-encode (or mis-encode) themselves. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  contract: Contract;
};

export type WsCase = CaseBase & {
  kind: "ws";
  /** The handshake's method: GET, or another to see it refused. */
  method: string;
  target: string;
  /** Handshake headers; `undefined` removes one of the defaults (Sec-WebSocket-Key, …). */
  headers: Record<string, string | undefined>;
  /** Complete raw frames written after the greeting (masking is the generator's choice). */
  frames: Buffer[];
};

export type FuzzCase = HttpCase | WsCase;

export type Outcome = {
  /**
   * The HTTP status (101 for a WebSocket session), or why there was none; "unsent" when Node's
   * client refused the case itself (not the server's doing, so not a failure).
   */
  status: number | "timeout" | "no-answer" | "unsent";
  ms: number;
  /** Rules the answer broke; empty when it was acceptable. */
  violations: string[];
  /** The start of the answer's body, for the report. */
  excerpt: string;
  /** Set when an unanswered request answered when sent again alone (see runner.ts). */
  note?: string;
};

export type Result = { fuzzCase: FuzzCase; outcome: Outcome };

/** What the generators may aim at: real credentials and rows planted before the run. */
export type FuzzTargets = {
  credentials: Credentials;
  seeds: Seeds;
};

export type Credentials = {
  /** `POST /auth/token` with the admin's password. */
  token: string;
  /** An admin API key (`dpl_…`), created through the console's tRPC procedure. */
  apiKey: string;
  /** `name=value` of the console's session cookie (tRPC authenticates with it only). */
  sessionCookie: string;
  /** Tokens signed with the instance's real key but wrong claims (expired, unknown user, …). */
  forgedTokens: Record<string, string>;
};

export type Seeds = {
  datasetName: string;
  datasetId: string;
  recordId: string;
  /** An upload of the admin's, still open, so PATCH/HEAD reach tus's offset logic. */
  uploadId: string;
  /** The `o` of a real cursor, so forged cursors get past the signature check. */
  cursorOrder: string;
  /** The same for `order=payload.n.desc`, whose cursors carry a jsonb sort value. */
  payloadCursorOrder: string;
};
