import { execFileSync } from "node:child_process";

import { expect, test, type Page } from "@playwright/test";

import { submitPassword } from "./support/console-session";
import { useSpawnedLake } from "./support/spawn-lake";

// The Query page story, in a real browser against a production server: an analyst opens Query
// from the sidebar (the schema's docs load — introspection is off in production for API clients,
// on for the console's own session), types an operation and runs it with Ctrl-Enter, reads the
// result as JSON and as a table, copies it as a curl command that runs from a shell with an API
// key, saves it, reloads and opens it again from the saved list; then runs a recordChanges
// subscription (its dataset in the variables editor) over graphql-ws and watches events arrive
// live as records are created through the REST API. All under the CSP, with no page error.
//
// Its own Lake on a fresh data dir: identity.spec.ts turns the shared server's admin to MFA.
test.describe.configure({ mode: "serial", retries: 0 });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "query-admin@lake.test", password: "a long query passphrase" };

// Faults.spec.ts takes E2E_PORT + 1…3, imports + 4, vectors + 5, live + 6, the stream
// instances + 7 and + 8, analytics-alerts + 9: this one + 10.
const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    REDIS_URL: process.env.REDIS_URL ?? "",
    LAKE_REDIS_PREFIX: `lake-e2e-query-${Date.now()}:`,
  },
  E2E_PORT + 10,
);

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const editorOf = (page: Page) => page.locator(".graphiql-query-editor .monaco-editor").first();
const resultPane = (page: Page) => page.getByRole("region", { name: "Result Window" });

/** Replaces an editor's text, as a user typing it would. */
async function typeInto(page: Page, editor: ReturnType<typeof editorOf>, text: string) {
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  // insertText: one input, so Monaco does not auto-close the brackets typed in it.
  await page.keyboard.insertText(text);
  await expect(editor).toContainText(text.slice(0, 20));
}

const typeOperation = (page: Page, text: string) => typeInto(page, editorOf(page), text);

test("an analyst queries, tabulates, saves and reopens an operation, and watches a subscription live", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  const run = Date.now().toString(36);
  const dataset = `query_e2e_${run}`;
  const savedName = `datasets ${run}`;
  let apiKey = "";

  const createRecord = async (note: string) => {
    const response = await page.request.post(`${origin()}/api/v1/lake/data`, {
      headers: { "X-API-Key": apiKey },
      data: { dataset, payload: { note } },
    });
    expect(response.status(), await response.text()).toBe(201);
  };

  await test.step("signs in, makes an API key and a dataset", async () => {
    await page.goto(`${origin()}/login`);
    await submitPassword(page, ADMIN);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email, { timeout: 20_000 });
    const created = await page.request.post(`${origin()}/api/trpc/account.apiKeys.create`, {
      headers: { Origin: origin() },
      data: { name: "query e2e", scopes: ["read", "write"] },
    });
    expect(created.status(), await created.text()).toBe(200);
    apiKey = ((await created.json()) as { result: { data: { key: string } } }).result.data.key;
    const made = await page.request.post(`${origin()}/api/v1/lake/datasets`, {
      headers: { "X-API-Key": apiKey },
      data: { name: dataset, policy: "analytics" },
    });
    expect(made.status(), await made.text()).toBe(201);
  });

  await test.step("opens Query from the sidebar: the editor and the schema's docs load", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Query" }).click();
    await expect(page).toHaveURL(/\/query$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Query");
    await expect(editorOf(page)).toBeVisible({ timeout: 60_000 });
    await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
    // Introspection answered the console's session although this server runs in production.
    await expect(page.locator(".graphiql-doc-explorer")).toContainText("Query", {
      timeout: 15_000,
    });
    await expect(page.locator(".graphiql-doc-explorer")).toContainText("Subscription");
    // An API key gets no introspection from a production server.
    const probe = await page.request.post(`${origin()}/api/v1/lake/graphql`, {
      headers: { "X-API-Key": apiKey },
      data: { query: "{ __schema { queryType { name } } }" },
    });
    expect(JSON.stringify(await probe.json())).toContain("introspection has been disabled");
    await page.getByRole("button", { name: "Hide Documentation Explorer" }).click();
  });

  await test.step("types an operation and runs it with Ctrl-Enter: the result as JSON", async () => {
    await typeOperation(page, "query Datasets { datasets { name policy recordCount } }");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect(resultPane(page)).toContainText(`"name": "${dataset}"`, { timeout: 15_000 });
    await expect(resultPane(page)).toContainText(`"policy": "analytics"`);
  });

  await test.step("shows the result as a table", async () => {
    await page.getByTestId("result-view").getByRole("radio", { name: "Table" }).check();
    const table = page.getByTestId("result-table");
    await expect(page.getByTestId("result-table-caption")).toHaveText("1 row from data.datasets");
    await expect(table.getByRole("columnheader")).toHaveText(["name", "policy", "recordCount"]);
    await expect(table.getByRole("row").nth(1)).toHaveText(`${dataset}analytics0`);
    await page.getByTestId("result-view").getByRole("radio", { name: "JSON" }).check();
    await expect(resultPane(page)).toBeVisible();
  });

  await test.step("copies it as curl, which runs from a shell with an API key", async () => {
    await page.getByTestId("query-copy-curl").click();
    const dialog = page.getByTestId("curl-dialog");
    await expect(dialog.getByText("Copied to the clipboard.")).toBeVisible();
    const command = (await page.getByTestId("curl-command").textContent()) ?? "";
    expect(command).toContain('-H "Authorization: Bearer $LAKE_API_KEY"');
    expect(command).not.toMatch(/cookie|session-token/i);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    const output = execFileSync("bash", ["-c", command], {
      env: { ...process.env, LAKE_API_KEY: apiKey },
      encoding: "utf8",
      // curl's progress meter goes to stderr when its output is piped.
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(JSON.parse(output)).toMatchObject({
      data: { datasets: [{ name: dataset, policy: "analytics", recordCount: 0 }] },
    });
    await dialog.getByRole("button", { name: "Close", exact: true }).first().click();
    await expect(dialog).toBeHidden();
  });

  await test.step("saves it, reloads, and opens it again from the saved list", async () => {
    await page.getByTestId("query-save").click();
    const dialog = page.getByTestId("save-query-dialog");
    // The operation's name is the default.
    await expect(dialog.getByLabel("Name")).toHaveValue("Datasets");
    await dialog.getByLabel("Name").fill(savedName);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    const saved = page.getByTestId("saved-queries");
    await expect(saved.getByTestId("saved-query")).toHaveCount(1);
    await expect(saved.getByTestId("saved-query")).toContainText(savedName);

    await page.reload();
    await expect(editorOf(page)).toBeVisible({ timeout: 60_000 });
    await typeOperation(page, "{ me { id } }");
    if (!(await page.getByTestId("saved-queries").isVisible())) {
      await page.getByRole("button", { name: "Show Saved queries" }).click();
    }
    await page.getByTestId("saved-query").filter({ hasText: savedName }).click();
    await expect(editorOf(page)).toContainText("query Datasets");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect(resultPane(page)).toContainText(`"name": "${dataset}"`, { timeout: 15_000 });
  });

  await test.step("runs a subscription and sees a record's creation arrive live", async () => {
    await typeOperation(
      page,
      "subscription Changes($dataset: String!) { recordChanges(dataset: $dataset) { topic payload } }",
    );
    await page.getByRole("button", { name: "Variables", exact: true }).click();
    await typeInto(
      page,
      page.locator(".graphiql-editor-tool .monaco-editor").first(),
      `{"dataset": "${dataset}"}`,
    );
    await editorOf(page).click();
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect(page.getByRole("button", { name: /^Stop query/ })).toBeVisible();
    // The subscription is live once the server has it: create records until one arrives.
    let n = 0;
    await expect(async () => {
      await createRecord(`hello ${++n}`);
      await expect(resultPane(page)).toContainText('"action": "create"', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(resultPane(page)).toContainText('"recordChanges"');
    await expect(resultPane(page)).toContainText(`"note": "hello `);

    // The next one replaces it in the pane, live.
    await createRecord("second wave");
    await expect(resultPane(page)).toContainText('"note": "second wave"', { timeout: 15_000 });

    await page.getByTestId("result-view").getByRole("radio", { name: "Table" }).check();
    await expect(page.getByTestId("result-table-caption")).toHaveText(
      "1 row from data.recordChanges",
    );
    await expect(page.getByTestId("result-table")).toContainText("second wave");

    await page.getByRole("button", { name: /^Stop query/ }).click();
    await expect(page.getByRole("button", { name: /^Execute query/ })).toBeVisible();
  });

  expect(problems).toEqual([]);
});
