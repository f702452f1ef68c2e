import fc from "fast-check";

// Hostile values shared by the doors. Each arbitrary yields `[label, value]`: the label names the
// class of malformation for the report; values are already in the form they are sent in
// (percent-encoded where a URL needs it, or deliberately mis-encoded).

export type Labeled<T> = [label: string, value: T];

export const labeled = <T>(label: string, arb: fc.Arbitrary<T>): fc.Arbitrary<Labeled<T>> =>
  arb.map((value): Labeled<T> => [label, value]);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes text for a URL; lone surrogates become U+FFFD, as any client would send them. */
export const q = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATE, "\ufffd"));

const repeat = (unit: string, min: number, max: number) =>
  fc.integer({ min, max }).map((n) => unit.repeat(n));

/** Path segments. decodeURIComponent throws on the first three classes (invalid UTF-8 escapes). */
export const badSegment: fc.Arbitrary<Labeled<string>> = fc.oneof(
  labeled(
    "bad-percent-escape",
    fc.constantFrom("%ZZ", "%", "%4", "abc%zz", "%%", "%E0%A4", "%C0%AF", "%FF%FE", "%F4%90%80%80"),
  ),
  labeled("lone-surrogate", fc.constantFrom("%ED%A0%80", "a%ED%B0%80", "%ED%A0%80%ED%B0%80")),
  labeled("nul", fc.constantFrom("%00", "a%00b", "%00%00")),
  labeled("huge", repeat("a", 2_000, 12_000)),
  labeled(
    "traversal",
    fc.constantFrom("..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%2F", "a%2Fb", "%5C..%5C"),
  ),
  labeled(
    "injection",
    fc.constantFrom(
      "'%20or%201%3D1--",
      "%24%7B7*7%7D",
      "%3Cscript%3E",
      "%22%3Bdrop%20table%20x",
      "*",
    ),
  ),
  labeled("unicode", fc.constantFrom("%F0%9F%92%A9", "%E2%80%AE", "%C3%A9", "%EF%BB%BF")),
  labeled(
    "odd-id",
    fc.oneof(
      fc.uuid(),
      fc.constantFrom(
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "%7B00000000-0000-0000-0000-000000000000%7D",
        "-1",
        "1e400",
        "null",
        "__proto__",
        "constructor",
      ),
    ),
  ),
  labeled("random", fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(q)),
);

/**
 * Numbers as PostgreSQL and JavaScript disagree on them: exponents past what either holds
 * (numeric keeps 16,383 digits after the point; doubles overflow at 1e308), plus odd spellings.
 */
export const extremeNumberText = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -40_000, max: 40_000 }))
    .map(([m, e]) => `${m}e${e}`),
  fc.constantFrom(
    "1e-16384",
    "1e400",
    "-1e400",
    "1e-400",
    "0.1e-999999",
    "1E+999999",
    "123456789012345678901234567890123",
    "-0",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    "9".repeat(400),
    "1e",
    ".5",
    "+5",
    "--1",
  ),
);

/** Values for `payload.<path>=` filters (README "Querying data"), as text before encoding. */
export const badFilter: fc.Arbitrary<Labeled<string>> = fc.oneof(
  {
    weight: 3,
    arbitrary: labeled(
      "filter:extreme-number",
      fc
        .tuple(fc.constantFrom("gt", "gte", "lt", "lte", "eq", "not.gt"), extremeNumberText)
        .map(([op, n]) => `${op}.${n}`),
    ),
  },
  labeled("filter:nul", fc.constantFrom("eq.a\u0000b", "like.\u0000", "in.(\u0000)")),
  labeled(
    "filter:in-list",
    fc.constantFrom(
      "in.(",
      "in.()",
      'in.("a',
      'in.(a,"b"c)',
      `in.(${",".repeat(3_000)})`,
      `in.(${Array(1_000).fill('"x"').join(",")})`,
      "in.(\\,\\)",
    ),
  ),
  labeled(
    "filter:contains-json",
    fc.constantFrom(
      "cs.{",
      "cs.[",
      'cs.{"a":1e400}',
      'cs."\\u0000"',
      'cs.["\\ud800"]',
      'cs.{"\\u0000":1}',
      `cs.${"[".repeat(1_500)}${"]".repeat(1_500)}`,
      "cs.null",
      "cs.1e-16384",
    ),
  ),
  labeled(
    "filter:pattern",
    fc.constantFrom(
      "like.%",
      "like._",
      "like.\\",
      `like.${"*".repeat(3_000)}`,
      `ilike.${"*a".repeat(40)}b`,
    ),
  ),
  labeled(
    "filter:bad-operator",
    fc.constantFrom(
      "is.maybe",
      "is.",
      "not.",
      "not.not.eq.x",
      "regex.^a",
      "eq",
      "",
      ".",
      "EQ.x",
      "gt.",
    ),
  ),
  labeled(
    "filter:huge",
    repeat("x", 2_000, 5_000).map((x) => `eq.${x}`),
  ),
  labeled(
    "filter:odd-date",
    fc.constantFrom("gt.2024-02-30", "gte.0000-01-01T00:00:00Z", "lt.+275760-09-13T00:00:00.001Z"),
  ),
);

/** `payload.<path>` keys: too deep, bad characters, prototype names. */
export const badPayloadPath: fc.Arbitrary<string> = fc.constantFrom(
  "payload.a.b.c.d.e.f.g.h.i",
  `payload.${Array(60).fill("a").join(".")}`,
  "payload.1a",
  "payload.a-b",
  "payload.",
  "payload..a",
  "payload.__proto__",
  "payload.constructor.prototype",
  "payload.a\u0000",
  "payload.é",
  `payload.${"x".repeat(3_000)}`,
);

/** Dates for the created_/updated_ bounds. */
export const badDate = fc.constantFrom(
  "0000-01-01",
  "2024-02-30",
  "2024-13-01",
  "99999-01-01",
  "2024-05-01T25:00:00Z",
  "2024-05-01T00:00:60Z",
  "+275760-09-13T00:00:00.001Z",
  "-000001-01-01T00:00:00Z",
  "2024-05-01T00:00:00+99:00",
  "1970-01-01T00:00:00.000000001Z",
  "1e400",
);

/** Any query parameter's value, whatever it means; some are raw bad escapes, not encoded. */
export const badScalar: fc.Arbitrary<Labeled<string>> = fc.oneof(
  labeled(
    "wrong-type",
    fc.constantFrom("", "-1", "0", "1.5", "1e400", "NaN", "true", "null", "[]", "{}").map(q),
  ),
  labeled("nul", fc.constantFrom("a\u0000", "\u0000").map(q)),
  labeled("bad-percent-escape", fc.constantFrom("%ZZ", "%E0%A4", "%", "%ED%A0%80")),
  labeled("huge", repeat("9", 400, 5_000)),
  labeled("date", badDate.map(q)),
);

/** Time sort values a forged cursor may carry: valid for the regex, not always for PostgreSQL. */
export const cursorTime = fc.constantFrom(
  "0000-01-01T00:00:00.000Z",
  "2024-02-30T00:00:00.000Z",
  "2024-04-31T00:00:00.000Z",
  "2023-02-29T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "0001-01-01T00:00:00.000Z",
  "1969-12-31T23:59:59.999Z",
);

/** Payload sort values a forged cursor may carry (jsonb text). */
export const cursorJsonText = fc.constantFrom(
  "1e-16384",
  "1e400",
  '"\\u0000"',
  '"\\ud800"',
  "{}",
  `${"[".repeat(3_000)}${"]".repeat(3_000)}`,
  "null",
  "not json",
);

export const base64url = (text: string) => Buffer.from(text).toString("base64url");

/** Header values: latin-1 high bytes, huge, empty; Node refuses control characters client-side. */
export const badHeaderValue: fc.Arbitrary<Labeled<string>> = fc.oneof(
  labeled("latin1", fc.constantFrom("\u00ff\u00fe", "caf\u00e9", "\u0080")),
  labeled("huge", repeat("h", 4_000, 8_000)),
  labeled("empty", fc.constant("")),
  labeled("garbage", fc.string({ unit: fc.constantFrom(..."\"';,=*%W/ a\\"), maxLength: 30 })),
);
