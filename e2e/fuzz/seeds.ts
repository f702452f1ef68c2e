import { type Credentials, type Seeds } from "./fuzz-case";

// Rows planted before the run, so generated requests can name things that exist: a dataset with
// a few records, an open upload, and real cursors (their `o` lets forged ones pass the signature
// check and reach the sort values).

async function call(
  baseURL: string,
  token: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${baseURL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

const cursorOrderOf = async (response: Response) => {
  const { next_cursor } = (await response.json()) as { next_cursor: string | null };
  if (!next_cursor) throw new Error("the planted records gave no cursor");
  return (JSON.parse(Buffer.from(next_cursor, "base64url").toString()) as { o: string }).o;
};

export async function plantSeeds(baseURL: string, credentials: Credentials): Promise<Seeds> {
  const { token } = credentials;
  const datasetName = "fuzz_target";
  const dataset = (await (
    await call(baseURL, token, "POST", "/api/v1/lake/datasets", { body: { name: datasetName } })
  ).json()) as { id: string };
  const created = await call(baseURL, token, "POST", "/api/v1/lake/data", {
    body: {
      dataset: datasetName,
      records: [1, 2, 3].map((n) => ({ payload: { n, s: `row ${n}` } })),
    },
  });
  const { records } = (await created.json()) as { records: { id: string }[] };

  const upload = await call(baseURL, token, "POST", "/api/v1/lake/import", {
    headers: {
      "tus-resumable": "1.0.0",
      "upload-length": "1000",
      "upload-metadata": `dataset ${Buffer.from(datasetName).toString("base64")},format ${Buffer.from("csv").toString("base64")}`,
    },
  });
  const uploadId = (upload.headers.get("location") ?? "").split("/").pop() ?? "";

  const query = `/api/v1/lake/data?dataset=${datasetName}&limit=1`;
  return {
    datasetName,
    datasetId: dataset.id,
    recordId: records[0]!.id,
    uploadId,
    cursorOrder: await cursorOrderOf(await call(baseURL, token, "GET", query)),
    payloadCursorOrder: await cursorOrderOf(
      await call(baseURL, token, "GET", `${query}&order=payload.n.desc`),
    ),
  };
}
