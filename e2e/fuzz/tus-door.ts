import fc from "fast-check";

import { invalidCredential, validCredential } from "./credentials";
import { type FuzzTargets, type HttpCase } from "./fuzz-case";
import { badSegment, labeled, type Labeled } from "./malformed";

// Cases for the resumable uploads at /api/v1/lake/import (tus 1.0, README "Imports"). The
// OpenAPI document does not describe tus, so this door follows the protocol: creation with odd
// lengths and metadata, PATCHes that break offsets and content types, extensions the Lake does
// not offer. Every error is promised in the envelope (server/imports/tus-response.ts).

const TUS = "/api/v1/lake/import";
const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64");

/** `Upload-Metadata` values: each pair is `key base64(value)`. */
const badMetadata = (dataset: string): fc.Arbitrary<Labeled<string>> =>
  fc.oneof(
    labeled(
      "metadata:nul",
      fc.constantFrom(
        `dataset ${b64(`${dataset}\u0000`)}`,
        `dataset ${b64(dataset)},filename ${b64("a\u0000.csv")}`,
        `dataset ${b64(dataset)},mapping ${b64('{"a\\u0000":"b"}')}`,
      ),
    ),
    labeled(
      "metadata:lone-surrogate",
      fc.constantFrom(
        `dataset ${b64(Buffer.from([0xed, 0xa0, 0x80]))}`,
        `dataset ${b64(dataset)},mapping ${b64('{"a":"\\ud800"}')}`,
      ),
    ),
    labeled(
      "metadata:invalid-base64",
      fc.constantFrom("dataset !!!", "dataset", "dataset a b c", ",,,", " ", "dataset ===="),
    ),
    labeled(
      "metadata:bad-values",
      fc
        .constantFrom(
          ["format", "xlsx"],
          ["delimiter", "\u0000"],
          ["mapping", "{"],
          ["mapping", `${"[".repeat(5_000)}${"]".repeat(5_000)}`],
          ["error_rate", "1e400"],
          ["error_rate", "-1"],
          ["start", "later"],
          ["embedding", ""],
          ["embedding_type", "\u00ff"],
          ["timestamps", ",".repeat(1_000)],
          ["gzip", "maybe"],
          ["unknown_key", "x"],
        )
        .map(([key, value]) => `dataset ${b64(dataset)},${key} ${b64(value)}`),
    ),
    labeled(
      "metadata:unknown-dataset",
      fc.constantFrom(
        `dataset ${b64("no_such_dataset")}`,
        `dataset ${b64("00000000-0000-4000-8000-000000000000")}`,
      ),
    ),
    labeled(
      "metadata:huge",
      fc
        .integer({ min: 3_000, max: 9_000 })
        .map((n) => `dataset ${b64(dataset)},filename ${b64("f".repeat(n))}`),
    ),
    labeled(
      "metadata:duplicate-keys",
      fc.constant(`dataset ${b64(dataset)},dataset ${b64("other")}`),
    ),
  );

const badLength = fc.constantFrom(
  "-1",
  "abc",
  "1e400",
  "99999999999999999999999",
  "",
  "0x10",
  "1.5",
  "6000000000",
);

function creationCases(
  dataset: string,
): fc.Arbitrary<Omit<HttpCase, "auth" | "door" | "kind" | "contract" | "route">> {
  const goodMeta = `dataset ${b64(dataset)},format ${b64("csv")}`;
  const post = (input: string, headers: Record<string, string>, body?: Buffer) => ({
    input,
    method: "POST",
    target: TUS,
    headers: { "tus-resumable": "1.0.0", ...headers },
    body,
  });
  return fc.oneof(
    badMetadata(dataset).map(([input, meta]) =>
      post(input, { "upload-length": "10", "upload-metadata": meta }),
    ),
    badLength.map((length) =>
      post("creation:bad-length", { "upload-length": length, "upload-metadata": goodMeta }),
    ),
    fc
      .constantFrom<Record<string, string>>(
        { "upload-defer-length": "1", "upload-length": "10" },
        { "upload-defer-length": "2" },
        {},
      )
      .map((h) => post("creation:defer-length", { ...h, "upload-metadata": goodMeta })),
    fc
      .constantFrom("partial", "final;/a /b", `final;${TUS}/x ${TUS}/y`, "final;", "garbage")
      .map((concat) =>
        post("creation:upload-concat", {
          "upload-concat": concat,
          "upload-length": "10",
          "upload-metadata": goodMeta,
        }),
      ),
    fc
      .constantFrom<Record<string, string>>(
        { "tus-resumable": "" },
        { "tus-resumable": "0.2.2" },
        { "tus-resumable": "1.0.0, 0.2.2" },
      )
      .map((h) =>
        post("creation:tus-version", { ...h, "upload-length": "10", "upload-metadata": goodMeta }),
      ),
    fc
      .constantFrom(undefined, "application/json", "text/plain", "application/offset+octet-stream")
      .map((type) =>
        post(
          "creation-with-upload:content-type",
          {
            "upload-length": "3",
            "upload-metadata": goodMeta,
            ...(type ? { "content-type": type } : {}),
          },
          Buffer.from("a,b\n1,2\n"),
        ),
      ),
    fc.constantFrom("DELETE", "PATCH", "HEAD", "GET", "TRACE", "garbage").map((override) =>
      post("creation:method-override", {
        "x-http-method-override": override,
        "upload-length": "10",
        "upload-metadata": goodMeta,
      }),
    ),
    fc.constantFrom("sha1 !!!", "md5 AAAA", "garbage", "sha1").map((checksum) =>
      post(
        "creation:checksum",
        {
          "upload-checksum": checksum,
          "upload-length": "3",
          "upload-metadata": goodMeta,
          "content-type": "application/offset+octet-stream",
        },
        Buffer.from("abc"),
      ),
    ),
  );
}

function uploadCases(uploadId: string) {
  const ids = fc.oneof(
    labeled("own-upload", fc.constant(uploadId)),
    labeled("unknown-upload", fc.constant("0123456789abcdef0123456789abcdef")),
    labeled("job-id-form", fc.uuid()),
    badSegment.map(([label, segment]): Labeled<string> => [label, segment]),
    labeled("nested", fc.constantFrom(`${uploadId}/x`, `${uploadId}/..`, "a/b/c")),
  );
  const patchHeaders = fc.oneof(
    labeled(
      "patch:missing-offset",
      fc.constant({ "content-type": "application/offset+octet-stream" }),
    ),
    labeled(
      "patch:bad-offset",
      fc.constantFrom("-1", "abc", "1e400", "99999999999999999999", "", "5").map((offset) => ({
        "content-type": "application/offset+octet-stream",
        "upload-offset": offset,
      })),
    ),
    labeled(
      "patch:content-type",
      fc
        .constantFrom(
          "application/json",
          "text/plain",
          "",
          "application/offset+octet-stream; x=\u00ff",
        )
        .map((type) => ({ "content-type": type, "upload-offset": "0" })),
    ),
    labeled(
      "patch:defer-length",
      fc.constant({
        "content-type": "application/offset+octet-stream",
        "upload-offset": "0",
        "upload-length": "-5",
      }),
    ),
    labeled(
      "patch:checksum",
      fc.constant({
        "content-type": "application/offset+octet-stream",
        "upload-offset": "0",
        "upload-checksum": "sha1 AAAA",
      }),
    ),
  );
  return fc.oneof(
    fc
      .tuple(ids, patchHeaders, fc.uint8Array({ maxLength: 64 }))
      .map(([[idLabel, id], [input, headers], bytes]) => ({
        input: `${input}:${idLabel}`,
        method: "PATCH",
        target: `${TUS}/${id}`,
        headers: { "tus-resumable": "1.0.0", ...headers },
        body: Buffer.from(bytes),
      })),
    fc
      .tuple(ids, fc.constantFrom("HEAD", "DELETE", "GET", "OPTIONS", "PUT", "TRACE"))
      .map(([[idLabel, id], method]) => ({
        input: `${method.toLowerCase()}:${idLabel}`,
        method,
        target: `${TUS}/${id}`,
        headers: { "tus-resumable": "1.0.0" },
        body: undefined,
      })),
  );
}

export function tusCases(targets: FuzzTargets): fc.Arbitrary<HttpCase> {
  const { seeds, credentials } = targets;
  const plausibleCreation = {
    input: "",
    method: "POST",
    target: TUS,
    headers: {
      "tus-resumable": "1.0.0",
      "upload-length": "10",
      "upload-metadata": `dataset ${b64(seeds.datasetName)}`,
    },
    body: undefined,
  };
  return fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: creationCases(seeds.datasetName) },
        { weight: 4, arbitrary: uploadCases(seeds.uploadId) },
        // A plausible creation with missing, garbage or forged credentials.
        {
          weight: 1,
          arbitrary: invalidCredential(credentials).map((credential) => ({
            ...plausibleCreation,
            input: `auth:${credential[0]}`,
            credential,
          })),
        },
      ),
      validCredential(credentials),
    )
    .map(([c, valid]): HttpCase => {
      const { credential, ...rest } = c as typeof c & { credential?: typeof valid };
      const [auth, credentialHeaders] = credential ?? valid;
      return {
        kind: "http",
        door: "tus",
        route: `${c.method} ${c.target === TUS ? TUS : `${TUS}/{upload}`}`,
        auth,
        contract: "envelope",
        ...rest,
        headers: { ...credentialHeaders, ...rest.headers },
      };
    });
}
