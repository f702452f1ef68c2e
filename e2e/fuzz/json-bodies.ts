import fc from "fast-check";

import { extremeNumberText, labeled, type Labeled } from "./malformed";

// Malformed JSON request bodies, made from a plausible one: the operation's example or a value
// generated from its schema. Mutating a plausible body gets past the first checks, so each
// malformation is met by the code that parses, validates or stores that field.

export type Body = { bytes: Buffer; contentType?: string };

type Path = (string | number)[];
type Json = unknown;

/** Where a value may be replaced: every member of every object and array, and the root. */
function memberPaths(value: Json, prefix: Path = [], out: Path[] = [[]]): Path[] {
  if (out.length > 200) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      memberPaths(item, [...prefix, i], out);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      memberPaths(item, [...prefix, key], out);
    }
  }
  return out;
}

/** A copy of `value` with the member at `path` replaced, or removed when `replacement` is DELETE. */
function setAt(value: Json, path: Path, replacement: unknown): Json {
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: Json[] = [...(value as Json[])];
    const next = setAt(copy[head as number], rest, replacement);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  const next = setAt(copy[head as string], rest, replacement);
  if (next === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}
const DELETE = Symbol("delete");

const FREE_FORM = new Set(["payload", "schema", "filter", "records", "operations", "mapping"]);

/** A placeholder replaced by raw text after JSON.stringify: how 1e400 or 5,000 brackets get in. */
const RAW = "__fuzz_raw_placeholder__";
const withRaw = (value: Json, raw: string) => JSON.stringify(value).replace(`"${RAW}"`, raw);

const deepText = fc
  .tuple(fc.integer({ min: 5_000, max: 20_000 }), fc.boolean())
  .map(([n, arrays]) =>
    arrays ? `${"[".repeat(n)}${"]".repeat(n)}` : `${'{"a":'.repeat(n)}1${"}".repeat(n)}`,
  );

const wrongTypeValue = fc.constantFrom<Json>(0, -1, 1.5, "", "x", true, null, [], {}, [1, 2], {
  a: 1,
});

const json = (text: string): Body => ({
  bytes: Buffer.from(text),
  contentType: "application/json",
});

/**
 * Malformed bodies around `base`, labelled `body:<class>`. The plausible body itself is included
 * too (`body:plausible`): generated values reach deeper than any hand-written case.
 */
export function jsonBodies(base: fc.Arbitrary<Json>): fc.Arbitrary<Labeled<Body>> {
  // Members under free-form JSON (a record's payload, a schema, a filter) are what reaches the
  // database as jsonb: half the mutations aim there when the body has such members.
  const at = base.chain((value) => {
    const paths = memberPaths(value);
    const stored = paths.filter((path) =>
      path.slice(0, -1).some((key) => FREE_FORM.has(String(key))),
    );
    return fc.tuple(
      fc.constant(value),
      stored.length
        ? fc.oneof(fc.constantFrom(...paths), fc.constantFrom(...stored))
        : fc.constantFrom(...paths),
    );
  });
  const stringAt = (text: string) =>
    at.map(([value, path]) => json(JSON.stringify(setAt(value, path, text))));
  const rawAt = (raw: fc.Arbitrary<string>) =>
    fc.tuple(at, raw).map(([[value, path], text]) => json(withRaw(setAt(value, path, RAW), text)));
  const text = base.map((value) => JSON.stringify(value) ?? "null");

  // What PostgreSQL stores differently from JavaScript (NUL, lone surrogates, numbers out of
  // range, depth): a third of the cases, as these reach the deepest code.
  const storage = fc.oneof(
    labeled("body:nul-in-string", stringAt("a\u0000b")),
    labeled(
      "body:lone-surrogate",
      fc.constantFrom("\ud800", "x\udfff", "\udc00\ud800").chain(stringAt),
    ),
    labeled(
      "body:nul-or-surrogate-key",
      fc
        .tuple(at, fc.constantFrom("k\u0000", "\ud800", "\u0000"))
        .map(([[value, path], key]) =>
          json(JSON.stringify(setAt(value, path, { [key]: "v" })) ?? ""),
        ),
    ),
    labeled("body:extreme-number", rawAt(extremeNumberText.filter((n) => !/[^\d.eE+-]/.test(n)))),
    labeled("body:deep-nesting", rawAt(deepText)),
  );
  const other = fc.oneof(
    labeled("body:plausible", text.map(json)),
    labeled(
      "body:wrong-type",
      fc
        .tuple(at, wrongTypeValue)
        .map(([[value, path], wrong]) => json(JSON.stringify(setAt(value, path, wrong)))),
    ),
    labeled(
      "body:missing-field",
      at.map(([value, path]) => json(JSON.stringify(setAt(value, path, DELETE)) ?? "")),
    ),
    labeled(
      "body:extra-field",
      fc
        .tuple(
          base,
          fc.constantFrom("__proto__", "constructor", "extra", "$where", "", "a".repeat(500)),
        )
        .map(([value, key]) =>
          json(
            typeof value === "object" && value !== null && !Array.isArray(value)
              ? JSON.stringify(value).replace(/^\{/, `{${JSON.stringify(key)}:{"admin":true},`)
              : JSON.stringify([value, { [key]: 1 }]),
          ),
        ),
    ),
    labeled(
      "body:invalid-json",
      fc
        .tuple(text, fc.nat(), fc.constantFrom("truncate", "comma", "quotes", "nan", "bom", "ctrl"))
        .map(([t, n, how]) =>
          json(
            how === "truncate"
              ? t.slice(0, n % Math.max(1, t.length))
              : how === "comma"
                ? t.replace(/([}\]])$/, ",$1")
                : how === "quotes"
                  ? t.replaceAll('"', "'")
                  : how === "nan"
                    ? `{"a":NaN,"b":undefined}`
                    : how === "bom"
                      ? `\ufeff${t}`
                      : t.replace('"', '"\u0001\n'),
          ),
        ),
    ),
    labeled(
      "body:invalid-utf8",
      text.map((t) => ({
        bytes: Buffer.concat([
          Buffer.from(t.slice(0, -2)),
          Buffer.from([0xff, 0xed, 0xa0, 0x80]),
          Buffer.from(t.slice(-2)),
        ]),
        contentType: "application/json",
      })),
    ),
    labeled(
      "body:empty-or-scalar",
      fc.constantFrom("", "  \n", "null", "0", '"x"', "[]", "true", "1e400").map(json),
    ),
    labeled(
      "body:huge-string",
      fc.integer({ min: 100_000, max: 300_000 }).chain((n) => stringAt("x".repeat(n))),
    ),
    labeled(
      "body:huge-array",
      fc.tuple(at, fc.integer({ min: 1_001, max: 3_000 })).map(([[value, path], n]) => {
        const member = path.length ? path.slice(0, -1) : path;
        return json(JSON.stringify(setAt(value, member, Array(n).fill({ a: 1 }))));
      }),
    ),
    labeled(
      "body:content-type",
      fc
        .tuple(
          text,
          fc.constantFrom(
            undefined,
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=utf-16le",
            "application/xml",
            "application/json, text/plain",
            "APPLICATION/JSON",
            "application/jsonx",
            "application/json;;;",
            "*/*",
          ),
        )
        .map(([t, contentType]) => ({
          bytes: Buffer.from(t, contentType?.includes("utf-16") ? "utf16le" : "utf8"),
          contentType,
        })),
    ),
  );
  return fc.oneof({ weight: 1, arbitrary: storage }, { weight: 2, arbitrary: other });
}
