import { readFileSync } from "node:fs";

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";

import { openSettled, signedInContext } from "./support/console-pages";
import { useSpawnedLake } from "./support/spawn-lake";

// The Data grid as an analyst uses it, at desktop size and on a phone: a filtered view lives in
// the address (it survives a reload and opens the same for whoever gets the link), an incomplete
// filter is refused at its field, columns follow the dataset's schema in two groups (a payload
// `id` is not the record's), numbers are right-aligned, a column can be hidden, the view exports
// as CSV with exactly its rows, a record is created through a form generated from the schema, the
// record dialog shows the record's embeddings and writes one from text, and a bad record id in a
// link shows a not-found state rather than a raw validation error.
//
// A Lake of its own (E2E_PORT+15): the shared server's admin gets MFA from identity.spec.ts, and
// the datasets here must hold exactly what the assertions count.

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "grid-admin@lake.test", password: "a data grid passphrase to remember" };

const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    LAKE_RATE_LIMIT_AUTH_PER_15_MIN: "100",
  },
  E2E_PORT + 15,
);

const SCHEMA = {
  type: "object",
  required: ["status", "amount"],
  properties: {
    customer: { type: "string", title: "Customer" },
    status: { enum: ["open", "paid", "refunded"] },
    amount: { type: "number" },
    id: { type: "string", description: "The shop's own order number." },
    rush: { type: "boolean" },
  },
};

const RECORDS = [
  { customer: "Ada", status: "paid", amount: 1200.5, id: "A-1" },
  { customer: "Bob", status: "open", amount: 7, id: "B-2" },
  { customer: "Cy, Jr.", status: "paid", amount: 30, id: "C-3", note: 'said "hi"' },
];

async function seed(api: APIRequestContext, dataset: string): Promise<void> {
  const token = await api.post("/api/v1/lake/auth/token", { data: ADMIN });
  expect(token.status(), await token.text()).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${access_token}` };
  const created = await api.post("/api/v1/lake/datasets", {
    headers,
    data: { name: dataset, policy: "analytics", schema: SCHEMA },
  });
  expect(created.status(), await created.text()).toBe(201);
  const records = await api.post("/api/v1/lake/data", {
    headers,
    data: { dataset, records: RECORDS },
  });
  expect(records.status(), await records.text()).toBe(201);
  // The schema comes back as written, property order included (jsonb would have sorted it).
  const read = await api.get(`/api/v1/lake/datasets/${dataset}`, { headers });
  const body = (await read.json()) as { schema: { properties: Record<string, unknown> } };
  expect(Object.keys(body.schema.properties)).toEqual(Object.keys(SCHEMA.properties));
}

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

for (const viewport of VIEWPORTS) {
  test(`the data grid keeps its view in the address, exports it and builds a form (${viewport.name})`, async ({
    browser,
    playwright,
  }) => {
    test.setTimeout(120_000);
    const dataset = `grid_${viewport.name}`;
    const api = await playwright.request.newContext({ baseURL: origin() });
    await seed(api, dataset);
    await api.dispose();

    const context = await signedInContext(browser, origin(), ADMIN);
    const page = await context.newPage();
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const rows = page.getByTestId("record-row");
    const chips = page.getByTestId("filter-chip");

    await test.step("columns follow the schema, in a record group and a payload group", async () => {
      await openSettled(page, `/data/${dataset}`);
      await expect(rows).toHaveCount(3);
      await expect(page.getByTestId("group-record")).toHaveText("Record");
      await expect(page.getByTestId("group-payload")).toHaveText("Payload");
      const headers = page.locator("[data-testid=sort-header]");
      // Every header in the API's spelling (no ID / CREATED_AT next to lower-case fields).
      await expect(headers.locator("span").first()).toHaveText("id");
      const keys = await headers.evaluateAll((buttons) =>
        buttons.map((button) => button.getAttribute("data-key")),
      );
      expect(keys).toEqual([
        "id",
        "created_at",
        "updated_at",
        // The schema's order as its author wrote it: customer, status, amount, id, rush.
        ...Object.keys(SCHEMA.properties).map((key) => `payload.${key}`),
        "payload.note",
      ]);
      const headerStyle = await headers.first().evaluate((button) => {
        const th = button.closest("th")!;
        return getComputedStyle(th).textTransform;
      });
      expect(headerStyle).toBe("none");
      // Numbers right-aligned, text not.
      const align = (key: string) =>
        rows
          .first()
          .locator(`td[data-key='${key}']`)
          .evaluate((cell) => getComputedStyle(cell).textAlign);
      expect(await align("payload.amount")).toBe("right");
      expect(await align("payload.customer")).toBe("left");
      // One page: both pager buttons are disabled, and look it.
      const previous = page.getByTestId("page-previous");
      await expect(previous).toBeDisabled();
      expect(
        Number(await previous.evaluate((button) => getComputedStyle(button).opacity)),
      ).toBeLessThan(0.5);
    });

    await test.step("an incomplete filter is refused at its field", async () => {
      await page.getByTestId("filter-path").fill("status");
      await page.getByTestId("filter-operator").selectOption("eq");
      await page.getByTestId("filter-add").click();
      const value = page.getByTestId("filter-value");
      await expect(value).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByTestId("filter-bar")).toContainText("Type a value");
      await expect(chips).toHaveCount(0);
      expect(new URL(page.url()).search).toBe("");
    });

    await test.step("a filter goes into the address, survives a reload and can be shared", async () => {
      await page.getByTestId("filter-value").fill("paid");
      await page.getByTestId("filter-add").click();
      await expect(chips).toHaveText(["status = paid"]);
      await expect(rows).toHaveCount(2);
      await expect(page).toHaveURL(/[?&]payload\.status=eq\.paid/);
      await page.locator("[data-testid=sort-header][data-key='payload.amount']").click();
      await expect(page).toHaveURL(/[?&]order=payload\.amount\.asc/);
      await expect(rows.first()).toContainText("Cy, Jr.");

      await page.reload();
      await expect(chips).toHaveText(["status = paid"]);
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText("Cy, Jr.");

      const shared = await context.newPage();
      await shared.setViewportSize({ width: viewport.width, height: viewport.height });
      await shared.goto(page.url());
      await expect(shared.getByTestId("filter-chip")).toHaveText(["status = paid"]);
      await expect(shared.getByTestId("record-row")).toHaveCount(2);
      await shared.close();
    });

    await test.step("a column is hidden, and stays hidden after a reload", async () => {
      const picker = page.getByTestId("column-picker");
      await picker.locator("summary").click();
      await picker.locator("[data-testid=column-toggle][data-key='payload.customer']").uncheck();
      await expect(
        page.locator("[data-testid=sort-header][data-key='payload.customer']"),
      ).toHaveCount(0);
      await expect(picker.locator("summary")).toHaveText("Columns · 1 hidden");
      await expect(page).toHaveURL(/[?&]hide=payload\.customer/);
      // Escape closes it, so it does not cover the grid.
      await page.keyboard.press("Escape");
      await expect(picker.locator("[data-testid=column-toggle]").first()).toBeHidden();
      await page.reload();
      await expect(rows).toHaveCount(2);
      await expect(
        page.locator("[data-testid=sort-header][data-key='payload.customer']"),
      ).toHaveCount(0);
    });

    await test.step("exports the filtered view as CSV with exactly its rows", async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId("export-csv").click(),
      ]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${dataset}-.*\\.csv$`));
      const csv = readFileSync(await download.path(), "utf8");
      const lines = csv.trimEnd().split("\r\n");
      expect(lines[0]).toContain("payload.status");
      expect(lines).toHaveLength(3);
      // The view's order (amount ascending), and CSV quoting of a comma.
      expect(lines[1]).toContain('"Cy, Jr."');
      expect(lines[2]).toContain("Ada");
      expect(csv).not.toContain("Bob");
    });

    await test.step("a record is created through the form generated from the schema", async () => {
      await page.getByRole("button", { name: "Clear filters" }).click();
      await expect(rows).toHaveCount(3);
      await page.getByTestId("record-new").click();
      const dialog = page.getByTestId("new-record-dialog");
      const form = dialog.getByTestId("schema-form");
      await expect(form).toBeVisible();
      const field = (key: string) => form.locator(`[data-testid=schema-field][data-key='${key}']`);
      await field("customer").fill("Dee");
      await field("amount").fill("lots");
      await dialog.getByTestId("record-create").click();
      await expect(field("amount")).toHaveAttribute("aria-invalid", "true");
      await expect(form).toContainText("Must be a number");
      await expect(field("status")).toHaveAttribute("aria-invalid", "true");

      await field("amount").fill("99.5");
      await field("status").selectOption({ label: "refunded" });
      await field("rush").check();
      // The JSON view holds the same payload, and stays available.
      await dialog.getByTestId("record-mode").getByLabel("JSON").check();
      await expect(dialog.getByTestId("record-editor")).toHaveValue(/"amount": 99.5/);
      await dialog.getByTestId("record-mode").getByLabel("Form").check();
      await dialog.getByTestId("record-create").click();
      await expect(dialog).toBeHidden();
      await expect(rows).toHaveCount(4);
      // (The customer column is still hidden from the step before.)
      const dee = rows.filter({ hasText: "refunded" });
      await expect(dee.locator("td[data-key='payload.amount']")).toHaveText("99.5");
      await expect(dee.locator("td[data-key='payload.rush']")).toHaveText("true");
    });

    await test.step("the record dialog edits through the same form", async () => {
      await rows.filter({ hasText: "refunded" }).getByTestId("record-open").click();
      const dialog = page.getByTestId("record-dialog");
      const amount = dialog.locator("[data-testid=schema-field][data-key='amount']");
      await expect(amount).toHaveValue("99.5");
      await amount.fill("");
      await dialog.getByTestId("record-save").click();
      await expect(amount).toHaveAttribute("aria-invalid", "true");
      await amount.fill("120");
      await dialog.getByTestId("record-save").click();
      await expect(dialog.getByTestId("record-notice")).toHaveText("Saved.");
      await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
      await expect(
        rows.filter({ hasText: "refunded" }).locator("td[data-key='payload.amount']"),
      ).toHaveText("120");
    });

    await test.step("the record dialog shows the record's embeddings and writes one from text", async () => {
      await rows.filter({ hasText: "refunded" }).getByTestId("record-open").click();
      const dialog = page.getByTestId("record-dialog");
      const embeddings = dialog.getByTestId("record-embeddings");
      await expect(embeddings.getByRole("heading", { name: "Embeddings" })).toBeVisible();
      await expect(embeddings).toContainText("This record has no embeddings yet.");
      await expect(embeddings.getByLabel("Embedding type")).toHaveValue("TEXT");
      await embeddings.getByLabel("Text to embed").fill("a rush order, refunded after a mix-up");
      await embeddings.getByRole("button", { name: "Add embedding" }).click();
      await expect(embeddings.getByTestId("embedding-saved")).toContainText(
        "Saved the TEXT embedding",
      );
      const items = embeddings.getByTestId("record-embedding");
      await expect(items).toHaveCount(1);
      await expect(items.first()).toHaveAttribute("data-type", "TEXT");
      await expect(items.first()).toContainText("dimensions");
      await expect(embeddings.getByRole("button", { name: "Replace embedding" })).toBeVisible();
      // The dialog with its embeddings passes the accessibility bar of every page.
      const scan = await new AxeBuilder({ page }).include("[data-testid=record-dialog]").analyze();
      const serious = scan.violations.filter(
        (v) => v.impact === "serious" || v.impact === "critical",
      );
      expect(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      ).toEqual([]);
      await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
      await expect(dialog).toBeHidden();
    });

    await test.step("a bad record id in a link shows a not-found state", async () => {
      await openSettled(page, `/data/${dataset}?record=abc123`);
      const missing = page.getByTestId("record-not-found");
      await expect(missing).toContainText("Record not found");
      await expect(missing).toContainText("is not a record id");
      await expect(page.getByText("Invalid UUID")).toHaveCount(0);
      await missing.getByRole("button", { name: "Back to the records" }).click();
      await expect(missing).toBeHidden();
      await expect(page).not.toHaveURL(/record=/);

      await page.goto(`/data/${dataset}?record=0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90`);
      await expect(page.getByTestId("record-not-found")).toContainText(
        `No record 0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90 in ${dataset}`,
      );
    });

    await test.step("nothing scrolls sideways at this size", async () => {
      await page.keyboard.press("Escape");
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    });
    await context.close();
  });
}
