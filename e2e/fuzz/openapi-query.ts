import fc from "fast-check";

import { type Seeds } from "./fuzz-case";
import {
  badFilter,
  badPayloadPath,
  badScalar,
  base64url,
  cursorJsonText,
  cursorTime,
  labeled,
  q,
  type Labeled,
} from "./malformed";

// Malformed query strings for the OpenAPI door. Most of the Lake's parsing is in GET /data's
// query language (payload filters, order, select, cursors), so it gets its own generator: broken
// values of every declared parameter, and cursors forged to pass the signature check.

/** Cursors: not ours, too long, the wrong shape, or well-formed with values PostgreSQL refuses. */
function cursors(seeds: Seeds): fc.Arbitrary<Labeled<string>> {
  const forged = (o: string, v: unknown) => base64url(JSON.stringify({ o, v }));
  return fc.oneof(
    labeled("cursor:not-base64", fc.constantFrom("not*base64", "%ZZ", "====", "a b")),
    labeled(
      "cursor:huge",
      fc.integer({ min: 8_000, max: 12_000 }).map((n) => "A".repeat(n)),
    ),
    labeled(
      "cursor:wrong-shape",
      fc.constantFrom(
        "bm90IGpzb24",
        base64url("[]"),
        base64url('{"o":1}'),
        base64url(`{"o":"${seeds.cursorOrder}","v":[1,2]}`),
      ),
    ),
    labeled(
      "cursor:forged-time",
      cursorTime.map((t) => forged(seeds.cursorOrder, [t, "00000000-0000-4000-8000-000000000000"])),
    ),
    labeled(
      "cursor:forged-id",
      fc
        .constantFrom(
          "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
          "00000000-0000-0000-0000-000000000000",
        )
        .map((id) => forged(seeds.cursorOrder, ["2024-05-01T00:00:00.000Z", id])),
    ),
    labeled(
      "cursor:forged-payload-value",
      cursorJsonText.map(
        (v) =>
          `order=payload.n.desc&cursor=${forged(seeds.payloadCursorOrder, [v, "00000000-0000-4000-8000-000000000000"])}`,
      ),
    ),
  );
}

/**
 * One malformed query parameter (or an odd extra one) among an operation's declared `names`, to
 * add to a plausible query.
 */
export function badQuery(names: string[], seeds: Seeds): fc.Arbitrary<Labeled<string>> {
  const plain = names.filter((n) => !n.includes("<") && n !== "cursor");
  type Weighted = { weight: number; arbitrary: fc.Arbitrary<Labeled<string>> };
  const options: Weighted[] = [
    {
      weight: 1,
      arbitrary: labeled(
        "query:unknown",
        fc.constantFrom("__proto__=1", "x=1", "dataset[]=a", "constructor=x"),
      ),
    },
    {
      weight: 1,
      arbitrary: labeled(
        "query:bad-key",
        fc.constantFrom("%ZZ=1", "a%00=1", "%ED%A0%80=1", `${"k".repeat(5_000)}=1`),
      ),
    },
  ];
  if (plain.length) {
    options.push(
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom(...plain), badScalar)
          .map(([name, [label, value]]): Labeled<string> => [
            `query:${name}:${label}`,
            `${name}=${value}`,
          ]),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(...plain)
          .map((name): Labeled<string> => ["query:duplicate", `${name}=1&${name}=2`]),
      },
    );
  }
  // The record query language and its cursors are where most of the parsing is: more cases there.
  if (names.includes("cursor")) {
    options.push({
      weight: 3,
      arbitrary: cursors(seeds).map(([label, value]): Labeled<string> => [
        `query:${label}`,
        value.startsWith("order=") ? value : `cursor=${q(value)}`,
      ]),
    });
  }
  if (names.some((n) => n.startsWith("payload."))) {
    options.push(
      {
        weight: 5,
        arbitrary: badFilter.map(([label, value]): Labeled<string> => [
          `query:${label}`,
          `payload.n=${q(value)}`,
        ]),
      },
      {
        weight: 1,
        arbitrary: badPayloadPath.map((path): Labeled<string> => [
          "query:payload-path",
          `${q(path)}=eq.1`,
        ]),
      },
    );
  }
  return fc.oneof(...options);
}
