import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

import { submitPassword } from "./support/console-session";
import { useSpawnedLake } from "./support/spawn-lake";

// The Imports story, in a real browser against a production server: an analyst picks a dataset
// with a JSON Schema, drops a CSV with one bad row (through the file picker) and an NDJSON file
// (through a real drop event), watches both uploads become imports that run their stages to
// done, reads the report — rows loaded, rows rejected, the error report naming the bad line —
// sees a broken file fail with a readable reason and nothing loaded, and finds the imported rows
// on the Data page.
//
// It runs its own Lake on a fresh data dir: in the full suite identity.spec.ts (which sorts
// before this file) has turned the shared server's admin to MFA by now.
test.describe.configure({ mode: "serial", retries: 0 });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "imports-admin@lake.test", password: "a long import passphrase" };
const DATASET = "stock_levels";
const SCHEMA = {
  type: "object",
  required: ["sku", "qty"],
  properties: {
    sku: { type: "string" },
    qty: { type: "integer" },
    warehouse: { type: "string" },
  },
};
// Line 4 ("lots") is not an integer: rejected, the other four loaded.
const CSV = [
  "sku,qty,warehouse",
  "A-100,12,north",
  "A-101,0,north",
  "B-200,lots,south",
  "B-201,7,south",
  "C-300,31,east",
  "",
].join("\n");
// Each line carries its vector in "vec", imported as the record's TEXT embedding.
const vector = (seed: number) => Array.from({ length: 1536 }, (_, i) => ((i * seed) % 7) / 7);
const NDJSON = [
  JSON.stringify({ sku: "D-400", qty: 5, vec: vector(3) }),
  JSON.stringify({ sku: "D-401", qty: 6, warehouse: "west", vec: vector(5) }),
  "",
].join("\n");

const { origin } = useSpawnedLake(
  {
    // Faults.spec.ts takes the three ports after E2E_PORT.
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    // BullMQ when the suite has Redis (CI), the in-process queue otherwise.
    REDIS_URL: process.env.REDIS_URL ?? "",
    LAKE_REDIS_PREFIX: `lake-e2e-imports-${Date.now()}:`,
  },
  E2E_PORT + 4,
);

/** The upload card of one file (the session's uploads, newest first). */
const uploadOf = (page: Page, filename: string) =>
  page.locator(`[data-testid=upload-item][data-filename="${filename}"]`);

test("an analyst imports files by drag and drop and finds the rows on the Data page", async ({
  page,
}) => {
  test.setTimeout(120_000);
  let csvJobId = "";

  await test.step("signs in and creates a dataset with a JSON Schema through the API", async () => {
    await page.goto(`${origin()}/login`);
    await submitPassword(page, ADMIN);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);

    const token = await page.request.post(`${origin()}/api/v1/lake/auth/token`, {
      data: ADMIN,
    });
    expect(token.status()).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const created = await page.request.post(`${origin()}/api/v1/lake/datasets`, {
      headers: { Authorization: `Bearer ${access_token}` },
      data: { name: DATASET, schema: SCHEMA },
    });
    expect(created.status()).toBe(201);
  });

  await test.step("opens Imports from the sidebar: no imports yet", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Imports" }).click();
    await expect(page).toHaveURL(/\/imports$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Imports");
    await expect(page.getByRole("heading", { name: "No imports yet" })).toBeVisible();
    // The only dataset is preselected.
    await expect(page.getByLabel("Dataset")).toHaveValue(DATASET);
  });

  await test.step("chooses a CSV through the drop zone's file picker", async () => {
    await page.getByLabel("Format").selectOption("csv");
    // One bad row in five is 20 %: above the default 1 %, so the import allows 25 %.
    await page.getByLabel(/Rejected rows allowed/).fill("25");
    const picker = page.getByLabel("Drop files here or choose files");
    await expect(picker).toBeEnabled();
    await picker.setInputFiles({
      name: "stock.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CSV),
    });
    // One file is previewed before it is uploaded; this one is imported as it is.
    const preview = page.getByTestId("import-preview");
    await expect(preview.getByTestId("preview-row")).toHaveCount(5);
    await preview.getByRole("button", { name: "Start import" }).click();
    await expect(preview).toHaveCount(0);
  });

  await test.step("watches the upload, then the stages run to done", async () => {
    const card = uploadOf(page, "stock.csv");
    await expect(card).toBeVisible();
    await expect(card.getByTestId("upload-status")).toHaveText("Uploaded", { timeout: 30_000 });
    const job = card.getByTestId("import-job");
    await expect(job.getByTestId("import-status")).toHaveText("Succeeded", { timeout: 60_000 });
    csvJobId = (await job.getAttribute("data-job-id"))!;
    expect(csvJobId).toMatch(/^[0-9a-f-]{36}$/);

    await expect(job.getByTestId("rows-validated")).toHaveText("5");
    await expect(job.getByTestId("rows-loaded")).toHaveText("4");
    await expect(job.getByTestId("rows-rejected")).toHaveText("1");
    const stages = job.getByTestId("import-stage");
    await expect(stages).toHaveCount(3);
    for (const name of ["validate", "transform", "load"]) {
      await expect(stages.and(page.locator(`[data-stage=${name}]`))).toHaveAttribute(
        "data-status",
        "succeeded",
      );
    }
    await expect(job.getByRole("progressbar", { name: "Progress of stock.csv" })).toHaveJSProperty(
      "value",
      100,
    );
    await expect(job.getByTestId("import-report")).toContainText(
      `Imported 4 rows into ${DATASET}; 1 row rejected`,
    );
    // The stage list counts as the figures do: 5 read, of which 4 accepted.
    await expect(stages.and(page.locator("[data-stage=validate]"))).toContainText(
      "5 read, 4 accepted",
    );
    // The first rejected rows are shown inline: line 4, column qty.
    const rejected = job.getByTestId("rejected-row");
    await expect(rejected).toHaveCount(1);
    await expect(rejected.first()).toContainText("4");
    await expect(rejected.first()).toContainText("qty");
  });

  await test.step("downloads the error report, which names the bad line and column", async () => {
    const link = uploadOf(page, "stock.csv").getByTestId("import-error-report");
    await expect(link).toHaveAttribute("href", `/api/v1/lake/import/jobs/${csvJobId}/errors`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const report = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
    const [header, ...lines] = report.trim().split(/\r?\n/);
    expect(header).toBe("line,column,reason");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^4,qty,/);
  });

  await test.step("drops an NDJSON file onto the zone (a real drop event)", async () => {
    await page.getByLabel("Format").selectOption("auto");
    await page.getByLabel(/Rejected rows allowed/).fill("");
    await page.getByLabel(/Embedding column/).fill("vec");
    await expect(page.getByLabel("Embedding type")).toHaveValue("TEXT");
    // No model named yet: the zone waits for it.
    await expect(page.getByLabel("Drop files here or choose files")).toBeDisabled();
    await page.getByLabel("Embedding model").fill("e2e/fixed-vectors");
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "more.ndjson", { type: "application/x-ndjson" }));
      return transfer;
    }, NDJSON);
    const zone = page.getByTestId("drop-zone");
    await zone.dispatchEvent("dragenter", { dataTransfer });
    await expect(zone).toHaveAttribute("data-dragging", "");
    await zone.dispatchEvent("drop", { dataTransfer });
    // The NDJSON preview lists every key of the first rows.
    const preview = page.getByTestId("import-preview");
    await expect(preview.getByTestId("preview-row")).toHaveCount(2);
    await expect(preview.getByTestId("mapping-row")).toHaveCount(4);
    await preview.getByRole("button", { name: "Start import" }).click();

    const job = uploadOf(page, "more.ndjson").getByTestId("import-job");
    await expect(job.getByTestId("import-status")).toHaveText("Succeeded", { timeout: 60_000 });
    await expect(job.getByTestId("rows-loaded")).toHaveText("2");
    await expect(job.getByTestId("rows-rejected")).toHaveText("0");
    await expect(job.getByTestId("import-error-report")).toHaveCount(0);
  });

  await test.step("the NDJSON rows carry their vectors as embeddings, not as payload", async () => {
    const list = await page.request.get(
      `${origin()}/api/v1/lake/data?dataset=${DATASET}&payload.sku=eq.D-401`,
    );
    const { items } = (await list.json()) as { items: { id: string; payload: object }[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.payload).toEqual({ sku: "D-401", qty: 6, warehouse: "west" });
    const embeddings = await page.request.get(
      `${origin()}/api/v1/lake/data/${items[0]!.id}/embeddings`,
    );
    expect(embeddings.status()).toBe(200);
    expect(await embeddings.json()).toMatchObject({
      items: [{ type: "TEXT", model: "e2e/fixed-vectors" }],
    });
    // The embedding column is for that upload only.
    await page.getByLabel(/Embedding column/).fill("");
  });

  await test.step("a header-only file fails with its reason once, and no Retry", async () => {
    await page.getByLabel("Drop files here or choose files").setInputFiles({
      name: "empty.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("sku,qty,warehouse\n"),
    });
    await expect(page.getByTestId("import-preview")).toContainText("The first 0 rows");
    await page.getByRole("button", { name: "Start import" }).click();
    const card = uploadOf(page, "empty.csv");
    const job = card.getByTestId("import-job");
    await expect(job.getByTestId("import-status")).toHaveText("Failed", { timeout: 60_000 });
    await expect(job.getByTestId("import-report")).toHaveText(
      "The import failed; nothing was loaded. The file has a header but no rows.",
    );
    // Said once in the card: not again by the stage that failed.
    await expect(card.getByText("The file has a header but no rows.")).toHaveCount(1);
    await expect(job.getByTestId("rows-loaded")).toHaveText("0");
    // The same file would fail the same way: no Retry, here or in the history.
    await expect(job.getByRole("button", { name: "Retry import" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Retry the import of empty.csv" })).toHaveCount(
      0,
    );
  });

  await test.step("the history survives a reload, newest first, with its actions", async () => {
    await page.reload();
    const rows = page.getByTestId("import-row");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText("empty.csv");
    await expect(rows.nth(0).getByTestId("import-status")).toHaveText("Failed");
    await expect(
      rows.nth(0).getByRole("button", { name: "Retry the import of empty.csv" }),
    ).toHaveCount(0);
    await expect(rows.nth(1)).toContainText("more.ndjson");
    await expect(rows.nth(1).getByTestId("history-loaded")).toHaveText("2");
    const csvRow = page.locator(`[data-testid=import-row][data-job-id="${csvJobId}"]`);
    await expect(csvRow).toContainText(DATASET);
    await expect(csvRow.getByTestId("import-status")).toHaveText("Succeeded");
    await expect(csvRow.getByTestId("history-loaded")).toHaveText("4");
    await expect(csvRow.getByTestId("history-rejected")).toHaveText("1");
    await expect(csvRow.getByRole("link", { name: "Error report of stock.csv" })).toBeVisible();
    // Nothing is still running, so nothing is listed as in progress.
    await expect(page.getByTestId("recovered-import")).toHaveCount(0);
  });

  await test.step("finds the imported rows on the Data page", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Data", exact: true }).click();
    await page.locator(`[data-testid=dataset-item][data-name="${DATASET}"]`).click();
    await expect(page.getByTestId("dataset-title")).toHaveText(DATASET);
    await expect(page.getByTestId("dataset-record-count")).toHaveText("6 records");
    const rows = page.getByTestId("record-row");
    await expect(rows).toHaveCount(6);
    for (const sku of ["A-100", "A-101", "B-201", "C-300", "D-400", "D-401"]) {
      await expect(rows.filter({ hasText: sku })).toHaveCount(1);
    }
    await expect(rows.filter({ hasText: "B-200" })).toHaveCount(0);
    // CSV text became the schema's integer.
    await expect(rows.filter({ hasText: "C-300" })).toContainText("31");
  });
});

test("a semicolon file is previewed, a column renamed and one dropped before the upload starts", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const dataset = "shop_prices";
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${origin()}/login`);
  await submitPassword(page, ADMIN);
  await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
  const token = await page.request.post(`${origin()}/api/v1/lake/auth/token`, { data: ADMIN });
  const { access_token } = (await token.json()) as { access_token: string };
  // No schema: the mapped names are the payload's fields as they are.
  const created = await page.request.post(`${origin()}/api/v1/lake/datasets`, {
    headers: { Authorization: `Bearer ${access_token}` },
    data: { name: dataset },
  });
  expect(created.status()).toBe(201);

  await page.goto(`${origin()}/imports`);
  await page.getByLabel("Dataset").selectOption(dataset);
  await page.getByLabel("Drop files here or choose files").setInputFiles({
    name: "prices.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("code;price;comment\nP-1;9.5;cheap\nP-2;12;\n"),
  });

  const preview = page.getByTestId("import-preview");
  const table = preview.getByTestId("preview-table");
  // Detected from the header as the server would, and said so.
  await expect(preview.getByLabel("Delimiter")).toHaveValue("");
  await expect(preview.getByLabel("Delimiter").locator("option").first()).toHaveText(
    "Detect (Semicolon (;))",
  );
  await expect(table.locator("thead th")).toHaveText(["code", "price", "comment"]);
  // A wrong delimiter shows at once: one column holding the whole line.
  await preview.getByLabel("Delimiter").selectOption("Comma (,)");
  await expect(table.locator("thead th")).toHaveText(["code;price;comment"]);
  await preview.getByLabel("Delimiter").selectOption("Semicolon (;)");
  await expect(table.locator("thead th")).toHaveText(["code", "price", "comment"]);
  await expect(preview.getByTestId("preview-row")).toHaveCount(2);
  await expect(preview.getByTestId("preview-row").first().locator("td")).toHaveText([
    "P-1",
    "9.5",
    "cheap",
  ]);

  await preview.getByLabel("Payload field for column code").fill("product_code");
  await preview.getByLabel("Import column comment").uncheck();
  await expect(table.locator("thead th")).toHaveText(["product_code", "price"]);
  await expect(preview.getByTestId("preview-summary")).toContainText("2 of 3 columns imported");
  // Two columns cannot fill one field.
  await preview.getByLabel("Payload field for column price").fill("product_code");
  await expect(preview.getByRole("button", { name: "Start import" })).toBeDisabled();
  await preview.getByLabel("Payload field for column price").fill("price");

  // The preview and its mapping controls pass the accessibility bar of every page.
  const scan = await new AxeBuilder({ page }).include("[data-testid=import-preview]").analyze();
  const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);

  await preview.getByRole("button", { name: "Start import" }).click();
  // The progress comes to where the user is looking: no scrolling needed to see it.
  const card = uploadOf(page, "prices.csv");
  await expect(card).toBeInViewport();
  await expect(card.getByRole("heading", { name: "prices.csv" })).toBeFocused();
  const job = card.getByTestId("import-job");
  await expect(job.getByTestId("import-status")).toHaveText("Succeeded", { timeout: 60_000 });
  await expect(job.getByTestId("rows-loaded")).toHaveText("2");

  // The server applied the mapping: the records carry the mapped names, not the file's.
  const list = await page.request.get(`${origin()}/api/v1/lake/data?dataset=${dataset}`);
  expect(list.status()).toBe(200);
  const { items } = (await list.json()) as { items: { payload: Record<string, unknown> }[] };
  expect(
    items
      .map((item) => item.payload)
      .sort((a, b) => String(a.product_code).localeCompare(String(b.product_code))),
  ).toEqual([
    { product_code: "P-1", price: 9.5 },
    { product_code: "P-2", price: 12 },
  ]);
});

test("a JSON-array file is previewed from its head and mapped before the upload starts", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const dataset = "shop_catalog";
  await page.goto(`${origin()}/login`);
  await submitPassword(page, ADMIN);
  await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
  const token = await page.request.post(`${origin()}/api/v1/lake/auth/token`, { data: ADMIN });
  const { access_token } = (await token.json()) as { access_token: string };
  const created = await page.request.post(`${origin()}/api/v1/lake/datasets`, {
    headers: { Authorization: `Bearer ${access_token}` },
    data: { name: dataset },
  });
  expect(created.status()).toBe(201);

  // Ten objects of 9,000 characters: the preview reads the first 64 KB, which cuts the eighth
  // object in the middle, so it shows the seven before the cut.
  const items = Array.from({ length: 10 }, (_, i) => {
    const item = { sku: `K-${i + 1}`, qty: i, tags: ["kit"], notes: "" };
    const size = JSON.stringify(item).length;
    return { ...item, notes: "n".repeat(9000 - size) };
  });
  expect(items.every((item) => JSON.stringify(item).length === 9000)).toBe(true);
  const file = `[\n${items.map((item) => JSON.stringify(item)).join(",\n")}\n]\n`;

  await page.goto(`${origin()}/imports`);
  await page.getByLabel("Dataset").selectOption(dataset);
  // A .txt name says nothing of the format: read as a JSON array by its first character, as the
  // server reads it.
  await page.getByLabel("Drop files here or choose files").setInputFiles({
    name: "catalog.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(file),
  });

  const preview = page.getByTestId("import-preview");
  const table = preview.getByTestId("preview-table");
  await expect(preview).toContainText("· JSON");
  await expect(preview.getByTestId("preview-row")).toHaveCount(7);
  await expect(table.locator("thead th")).toHaveText(["sku", "qty", "tags", "notes"]);
  await expect(preview.getByTestId("preview-row").first().locator("td").nth(2)).toHaveText(
    '["kit"]',
  );
  // No delimiter or header for JSON: only the mapping, as for NDJSON.
  await expect(preview.getByLabel("Delimiter")).toHaveCount(0);
  await expect(preview.getByTestId("mapping-row")).toHaveCount(4);
  await preview.getByLabel("Payload field for column sku").fill("product_code");
  await preview.getByLabel("Import column notes").uncheck();
  await expect(table.locator("thead th")).toHaveText(["product_code", "qty", "tags"]);
  await expect(preview.getByTestId("preview-summary")).toHaveText(
    "The first 7 rows, with 3 of 4 columns imported.",
  );
  await preview.getByRole("button", { name: "Start import" }).click();

  const job = uploadOf(page, "catalog.txt").getByTestId("import-job");
  await expect(job.getByTestId("import-status")).toHaveText("Succeeded", { timeout: 60_000 });
  await expect(job.getByTestId("rows-loaded")).toHaveText("10");
  // The server applied the same mapping to every element, not only the previewed ones.
  const list = await page.request.get(`${origin()}/api/v1/lake/data?dataset=${dataset}&limit=20`);
  expect(list.status()).toBe(200);
  const body = (await list.json()) as { items: { payload: Record<string, unknown> }[] };
  expect(
    body.items.map((item) => item.payload).sort((a, b) => Number(a.qty) - Number(b.qty)),
  ).toEqual(items.map(({ sku, qty, tags }) => ({ product_code: sku, qty, tags })));
});
