import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { submitPassword } from "./support/console-session";

// The Data page story, in a real browser against the production server: an analyst creates a
// dataset with a JSON Schema, adds records through the editor (schema failures shown by path),
// sorts and filters them on the server, edits one (a change made meanwhile is caught by the
// ETag), archives and restores it, deletes it, and finally deletes the dataset with its last
// record. The API answers the query string the page shows with the same records.
//
// The steps build on one another (one server, one database), so a retry would only replay a
// story whose state already moved on.
test.describe.configure({ mode: "serial", retries: 0 });

const ADMIN = { email: "admin@lake.test", password: "correct horse battery staple" };
const DATASET = "shop_orders";
const SCHEMA = {
  type: "object",
  required: ["status"],
  properties: {
    status: { type: "string" },
    amount: { type: "number" },
    customer: { type: "string" },
  },
};

/**
 * Signs the admin in. This file sorts before identity.spec.ts, which turns the admin's MFA on,
 * so a code prompt here means the order or the server's freshness was not what it assumes.
 */
async function signInAdmin(page: Page) {
  await submitPassword(page, ADMIN);
  const signedIn = page.getByTestId("signed-in-email");
  const codeStep = page.getByLabel("Authentication code");
  await expect(signedIn.or(codeStep)).toBeVisible();
  if (await codeStep.isVisible()) {
    throw new Error(
      "The admin asks for a second factor: identity.spec.ts turned MFA on before this spec ran. " +
        "data.spec.ts must run before it on a fresh server (npx playwright test starts one with " +
        "an empty data dir; files run in alphabetical order with one worker).",
    );
  }
  await expect(signedIn).toHaveText(ADMIN.email);
}

/** A Bearer token for the admin from POST /api/v1/lake/auth/token, with the credentials. */
async function bearerToken(request: APIRequestContext) {
  const exchange = await request.post("/api/v1/lake/auth/token", {
    data: { email: ADMIN.email, password: ADMIN.password },
  });
  expect(exchange.status()).toBe(200);
  const { access_token } = (await exchange.json()) as { access_token: string };
  return { Authorization: `Bearer ${access_token}` };
}

/** The new-record dialog opens on the schema's form; these steps write JSON, one switch away. */
async function useJsonEditor(page: Page) {
  await page.getByTestId("new-record-dialog").getByTestId("record-mode").getByLabel("JSON").check();
}

async function fillEditor(page: Page, json: string) {
  const editor = page.getByTestId("record-editor");
  await editor.fill(json);
}

test("an analyst manages a dataset's records on the Data page", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const origin = baseURL!;
  const rows = page.getByTestId("record-row");
  const row = (text: string) => rows.filter({ hasText: text });
  let auth: { Authorization: string } = { Authorization: "" };
  let adaId = "";

  await test.step("signs in and opens the Data page from the sidebar", async () => {
    await page.goto("/login");
    await signInAdmin(page);
    await page.getByRole("navigation").getByRole("link", { name: "Data", exact: true }).click();
    await expect(page).toHaveURL(/\/data$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Data");
  });

  await test.step("creates a dataset with a JSON Schema, fixing a JSON typo first", async () => {
    await page.getByTestId("dataset-new").first().click();
    const dialog = page.getByTestId("create-dataset-dialog");
    await dialog.getByLabel("Name").fill(DATASET);
    await dialog.getByLabel("Description").fill("Orders from the shop");
    await dialog.getByLabel("Who sees the records").selectOption("analytics");
    const schema = dialog.getByTestId("dataset-schema-input");
    await schema.fill('{ "type": "object", ');
    await dialog.getByRole("button", { name: "Create dataset" }).click();
    await expect(dialog.getByText(/Not valid JSON/)).toBeVisible();
    await expect(schema).toHaveAttribute("aria-invalid", "true");

    await schema.fill(JSON.stringify(SCHEMA, null, 2));
    await expect(dialog.getByText(/Not valid JSON/)).toHaveCount(0);
    await dialog.getByLabel("Index payloads for contains (cs) filters").check();
    await dialog.getByRole("button", { name: "Create dataset" }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/data/${DATASET}$`));
    await expect(page.getByTestId("dataset-title")).toHaveText(DATASET);
    // Built in the background; the badge turns ready without a reload.
    await expect(page.getByTestId("dataset-payload-index")).toHaveText("Payload index", {
      timeout: 15_000,
    });

    const item = page.locator(`[data-testid=dataset-item][data-name="${DATASET}"]`);
    await expect(item).toContainText("Shared");
    await expect(item.getByTestId("dataset-record-count")).toHaveText("0 records");
    await expect(page.getByRole("heading", { name: "No records yet" })).toBeVisible();
  });

  await test.step("creates records in the editor; syntax and schema errors show inline", async () => {
    await page.getByTestId("record-new").click();
    const dialog = page.getByTestId("new-record-dialog");
    await useJsonEditor(page);
    await fillEditor(page, '{ "status": "open", ');
    await dialog.getByTestId("record-create").click();
    await expect(dialog.getByText(/Not valid JSON/)).toBeVisible();

    await fillEditor(page, '{ "status": "open", "amount": "a lot", "customer": "Ada" }');
    await dialog.getByTestId("record-create").click();
    await expect(dialog.getByText("/amount: must be number")).toBeVisible();

    await fillEditor(page, '{ "status": "open", "amount": 42, "customer": "Ada" }');
    await dialog.getByTestId("record-create").click();
    await expect(dialog).toBeHidden();
    await expect(rows).toHaveCount(1);
    await expect(row("Ada")).toContainText("42");

    await page.getByTestId("record-new").click();
    await useJsonEditor(page);
    await fillEditor(page, '{ "status": "closed", "amount": 7, "customer": "Bob" }');
    await dialog.getByTestId("record-create").click();
    await expect(dialog).toBeHidden();
    await expect(rows).toHaveCount(2);
    // Newest first, the API's default order.
    await expect(rows.first()).toContainText("Bob");
    // This dataset's count: other specs on the shared server (the API reference's Try it) make
    // datasets of their own.
    await expect(
      page
        .locator(`[data-testid=dataset-item][data-name="${DATASET}"]`)
        .getByTestId("dataset-record-count"),
    ).toHaveText("2 records");
    adaId = (await row("Ada").getAttribute("data-id"))!;
    expect(adaId).toMatch(/^[0-9a-f-]{36}$/);
  });

  await test.step("sorts on a payload column, on the server", async () => {
    await page.locator("[data-testid=sort-header][data-key='payload.amount']").click();
    await expect(rows.first()).toContainText("Bob");
    await expect(page.getByTestId("query-string")).toContainText("order=payload.amount.asc");
    await page.locator("[data-testid=sort-header][data-key='payload.amount']").click();
    await expect(rows.first()).toContainText("Ada");
    await expect(page.getByTestId("query-string")).toContainText("order=payload.amount.desc");
    await page.getByRole("button", { name: "Reset sort" }).click();
    await expect(rows.first()).toContainText("Bob");
  });

  await test.step("filters on payload.status and sees only the matching record", async () => {
    await page.getByTestId("filter-path").fill("status");
    await page.getByTestId("filter-operator").selectOption("eq");
    await page.getByTestId("filter-value").fill("open");
    await page.getByTestId("filter-add").click();
    await expect(page.getByTestId("filter-chip")).toHaveText("status = open");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Ada");

    await page.getByTestId("count-total").check();
    await expect(page.getByTestId("records-total")).toHaveText("1");
    await page.getByTestId("count-total").uncheck();
    await expect(page.getByTestId("query-string")).toHaveText(
      `dataset=${DATASET}&payload.status=eq.open&limit=25`,
    );
    await expect(page.getByTestId("query-curl")).toContainText(
      `curl -s '${origin}/api/v1/lake/data?dataset=${DATASET}&payload.status=eq.open&limit=25'`,
    );
  });

  await test.step("the API answers the page's query string with the same record", async () => {
    auth = await bearerToken(request);
    const queryString = (await page.getByTestId("query-string").textContent())!.trim();
    const response = await request.get(`/api/v1/lake/data?${queryString}`, {
      headers: auth,
    });
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      items: { id: string; payload: Record<string, unknown> }[];
      next_cursor: string | null;
    };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: adaId,
      payload: { status: "open", amount: 42, customer: "Ada" },
    });
    expect(body.next_cursor).toBeNull();

    const all = await request.get(`/api/v1/lake/data?dataset=${DATASET}`, {
      headers: auth,
    });
    expect(((await all.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  await test.step("edits the payload; a change made meanwhile is caught by the ETag", async () => {
    await row("Ada").getByTestId("record-open").click();
    const dialog = page.getByTestId("record-dialog");
    await expect(dialog.getByTestId("record-id")).toHaveText(adaId);
    // It opens on the schema's form; this story edits the JSON.
    await dialog.getByTestId("record-mode").getByLabel("JSON").check();
    await expect(dialog.getByTestId("record-editor")).toHaveValue(/"customer": "Ada"/);

    // Someone else replaces the record through the API while the editor is open.
    const put = await request.put(`/api/v1/lake/data/${adaId}`, {
      headers: auth,
      data: { payload: { status: "open", amount: 42, customer: "Ada Lovelace" } },
    });
    expect(put.status()).toBe(200);

    await fillEditor(page, '{ "status": "open", "amount": 50, "customer": "Ada" }');
    await dialog.getByTestId("record-save").click();
    await expect(dialog.getByTestId("record-stale")).toContainText(
      "This record changed since you opened it — reload",
    );
    await dialog.getByTestId("record-reload").click();
    await expect(dialog.getByTestId("record-stale")).toHaveCount(0);
    await expect(dialog.getByTestId("record-editor")).toHaveValue(/"customer": "Ada Lovelace"/);

    // The schema still applies to edits, by path.
    await fillEditor(page, '{ "amount": 50, "customer": "Ada Lovelace" }');
    await dialog.getByTestId("record-save").click();
    await expect(dialog.getByText("/status: is required")).toBeVisible();

    await fillEditor(
      page,
      '{ "status": "open", "amount": 50, "customer": "Ada Lovelace", "priority": "high" }',
    );
    await dialog.getByTestId("record-save").click();
    await expect(dialog.getByTestId("record-notice")).toHaveText("Saved.");
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
    await expect(dialog).toBeHidden();
    await expect(row("Ada Lovelace")).toContainText("high");
    await expect(row("Ada Lovelace")).toContainText("50");
  });

  await test.step("archives it: hidden by default, listed under Only, restored", async () => {
    await row("Ada Lovelace").getByTestId("record-open").click();
    const dialog = page.getByTestId("record-dialog");
    await dialog.getByTestId("record-archive").click();
    await expect(dialog.getByTestId("record-status")).toHaveText("Archived");
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
    await expect(rows).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "No records match" })).toBeVisible();

    const archived = page.getByTestId("archived-toggle");
    await archived.getByLabel("Only").check();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Archived");
    await expect(page.getByTestId("query-string")).toContainText("archived=true");

    await rows.first().getByTestId("select-record").check();
    await expect(page.getByTestId("bulk-count")).toHaveText("1 record selected");
    await page.getByTestId("bulk-restore").click();
    await expect(page.getByTestId("bulk-notice")).toHaveText("Restored 1 record.");
    await expect(rows).toHaveCount(0);

    await archived.getByLabel("Hide").check();
    await expect(rows).toHaveCount(1);
    await expect(row("Ada Lovelace")).not.toContainText("Archived");
  });

  await test.step("deletes it after confirming", async () => {
    await row("Ada Lovelace").getByTestId("record-open").click();
    const dialog = page.getByTestId("record-dialog");
    await dialog.getByTestId("record-delete").click();
    const confirm = page.getByRole("dialog", { name: "Delete this record?" });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: "Delete record" }).click();
    await expect(dialog).toBeHidden();
    await expect(rows).toHaveCount(0);

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Bob");
    const gone = await request.get(`/api/v1/lake/data/${adaId}`, { headers: auth });
    expect(gone.status()).toBe(404);
  });

  await test.step("deletes the dataset together with its last record", async () => {
    await page.getByTestId("dataset-delete").click();
    const confirm = page.getByRole("dialog", { name: `Delete the dataset “${DATASET}”?` });
    await confirm.getByRole("button", { name: "Delete with 1 record" }).click();
    await expect(page).toHaveURL(/\/data$/);
    await expect(page.locator(`[data-testid=dataset-item][data-name="${DATASET}"]`)).toHaveCount(0);
  });
});

test("the API reference shows every operation of the served OpenAPI document", async ({
  page,
  request,
}) => {
  await signInAdmin(page);
  const served = await request.get("/api/v1/lake/openapi.json");
  expect(served.status()).toBe(200);
  const document = (await served.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
  };
  expect(document.openapi).toMatch(/^3\.1/);
  const operations = Object.values(document.paths).flatMap((item) =>
    Object.values(item).filter((operation) => operation.operationId),
  );

  await page.goto("/api-reference");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  await expect(page.getByTestId("api-operation")).toHaveCount(operations.length);
  const create = document.paths["/api/v1/lake/data"]!.post!;
  const article = page.locator(`article#${create.operationId}`);
  await expect(article.getByRole("heading", { level: 3 })).toHaveText(create.summary!);
  await expect(article.locator("code").first()).toHaveText("/api/v1/lake/data");
  await expect(page.getByRole("link", { name: "Download openapi.json" })).toHaveAttribute(
    "href",
    "/api/v1/lake/openapi.json",
  );
});
