import { expect, test, type APIRequestContext } from "@playwright/test";

import { submitPassword } from "./support/console-session";
import { useSpawnedLake } from "./support/spawn-lake";

// The Vectors page story, in a real browser against a production server: records get TEXT
// embeddings through the REST API (the built-in lexical embedder, as on any Lake without
// Cortex); an analyst searches by text on the Vectors page, sees the hits ranked by score with
// their 2-D projection, narrows them with a payload filter, searches by a record, opens a hit and
// lands on that record on the Data page; an admin tunes the TEXT index and watches it finish.
//
// It runs its own Lake on a fresh data dir: in the full suite identity.spec.ts (which sorts
// before this file) has turned the shared server's admin to MFA by now.
test.describe.configure({ mode: "serial", retries: 0 });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "vectors-admin@lake.test", password: "a long vector passphrase" };
const DATASET = "bike_shop";
/** Each record's text is embedded; the query below shares most words with the first one. */
const PRODUCTS = [
  { title: "Red mountain bike", kind: "bike", text: "red mountain bike with front suspension" },
  { title: "Blue road bike", kind: "bike", text: "blue road bike, light carbon frame" },
  { title: "Mountain bike helmet", kind: "helmet", text: "helmet for mountain bike trails" },
  { title: "City helmet", kind: "helmet", text: "city commuter helmet with a rear light" },
  { title: "Bike lock", kind: "lock", text: "heavy chain lock for a city bike" },
  { title: "Espresso machine", kind: "kitchen", text: "espresso machine with milk frother" },
];
const QUERY = "red mountain bike";

// Faults.spec.ts takes the three ports after E2E_PORT, imports.spec.ts the fourth.
const { origin } = useSpawnedLake(
  { LAKE_ADMIN_EMAIL: ADMIN.email, LAKE_ADMIN_PASSWORD: ADMIN.password },
  E2E_PORT + 5,
);

/** The dataset and its records, each with a TEXT embedding of its text, through the REST API. */
async function seed(request: APIRequestContext): Promise<Map<string, string>> {
  const token = await request.post(`${origin()}/api/v1/lake/auth/token`, { data: ADMIN });
  expect(token.status()).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${access_token}` };

  const dataset = await request.post(`${origin()}/api/v1/lake/datasets`, {
    headers,
    data: { name: DATASET, policy: "analytics" },
  });
  expect(dataset.status()).toBe(201);
  const created = await request.post(`${origin()}/api/v1/lake/data`, {
    headers,
    data: { dataset: DATASET, records: PRODUCTS },
  });
  expect(created.status()).toBe(201);
  const { records } = (await created.json()) as {
    records: { id: string; payload: { title: string; text: string } }[];
  };
  const ids = new Map<string, string>();
  for (const record of records) {
    const put = await request.put(`${origin()}/api/v1/lake/data/${record.id}/embeddings/TEXT`, {
      headers,
      data: { text: record.payload.text },
    });
    expect(put.ok(), await put.text()).toBe(true);
    ids.set(record.payload.title, record.id);
  }
  return ids;
}

test("an analyst searches records by text on the Vectors page and opens a hit", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const hits = page.getByTestId("vector-hit");
  const scores = page.getByTestId("vector-hit-score");
  let ids = new Map<string, string>();

  await test.step("signs in; records get TEXT embeddings through the API", async () => {
    await page.goto(`${origin()}/login`);
    await submitPassword(page, ADMIN);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
    ids = await seed(page.request);
  });

  await test.step("opens Vectors from the sidebar: the local embedder says what it is", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Vectors" }).click();
    await expect(page).toHaveURL(/\/vectors$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vectors");
    await expect(page.getByTestId("embedder-badge")).toContainText("lexical hashing, not semantic");
  });

  await test.step("searches by text: hits ranked by score, and their projection", async () => {
    await page.getByLabel("Query text").fill(QUERY);
    await page.getByLabel("Results (k)").fill("5");
    await page.getByRole("button", { name: "Search" }).click();

    await expect(page.getByTestId("vector-search-summary")).toContainText("5 results");
    await expect(hits).toHaveCount(5);
    await expect(hits.first()).toContainText("Red mountain bike");
    // Closest first: the scores never increase down the table, and the espresso machine (no
    // word in common with the query) is not among the five.
    const values = (await scores.allTextContents()).map(Number);
    expect(values.every((value) => Number.isFinite(value))).toBe(true);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[0]).toBeGreaterThan(values[4]!);
    await expect(page.getByTestId("vector-results")).not.toContainText("Espresso");

    // Five result dots and the query's star on the PCA plane.
    const chart = page.getByTestId("projection-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator(".recharts-scatter-symbol")).toHaveCount(6);
    // Spread over the plane, not piled on one spot (as a degenerate projection would draw them).
    const positions = await chart
      .locator(".recharts-scatter-symbol path")
      .evaluateAll((paths) => paths.map((path) => path.getAttribute("transform")));
    expect(new Set(positions).size).toBeGreaterThanOrEqual(4);
    await expect(chart).toContainText("the star is the query");
  });

  await test.step("narrows the search with a payload filter", async () => {
    await page.getByLabel("Payload filter").fill("payload.kind=eq.helmet");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("vector-search-summary")).toContainText("2 results");
    await expect(hits).toHaveCount(2);
    await expect(hits.first()).toContainText("Mountain bike helmet");
    await expect(hits.nth(1)).toContainText("City helmet");

    await page.getByLabel("Payload filter").fill("kind=eq.helmet");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("is not a payload path")).toBeVisible();
    await page.getByLabel("Payload filter").fill("");
  });

  await test.step("searches by a record: its neighbours, without itself", async () => {
    await page.getByRole("radio", { name: "Record" }).check();
    await page.getByLabel("Record id").fill(ids.get("Blue road bike")!);
    await page.getByLabel("Results (k)").fill("3");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("vector-search-summary")).toContainText("3 results");
    await expect(hits).toHaveCount(3);
    await expect(page.getByTestId("vector-results")).not.toContainText("Blue road bike");
    await page.getByRole("radio", { name: "Text" }).check();
    await page.getByLabel("Results (k)").fill("5");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(hits.first()).toContainText("Red mountain bike");
  });

  await test.step("opens the top hit and lands on that record on the Data page", async () => {
    await page.getByRole("link", { name: "Open record “Red mountain bike”" }).click();
    const id = ids.get("Red mountain bike")!;
    await expect(page).toHaveURL(new RegExp(`/data/${DATASET}\\?record=${id}$`));
    const dialog = page.getByTestId("record-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("record-id")).toHaveText(id);
    await expect(dialog.getByTestId("record-editor")).toHaveValue(/Red mountain bike/);
  });
});

test("an admin tunes the TEXT index and sees its status", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${origin()}/login`);
  await submitPassword(page, ADMIN);
  await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
  await page.goto(`${origin()}/vectors`);

  const panel = page.getByTestId("vector-index-panel");
  await expect(panel.getByRole("heading", { name: "No indexes yet" })).toBeVisible();
  await panel.getByLabel("Index type").selectOption("TEXT");
  await panel.getByLabel("Index metric").selectOption("cosine");
  await panel.getByRole("button", { name: "Tune now" }).click();

  // Six embeddings are far below the 1,000 an ANN index needs: the build settles on exact search
  // at once, and the polling page shows it ready with the row count and a build time.
  const row = panel.locator("[data-testid=vector-index][data-type=TEXT][data-metric=cosine]");
  await expect(row).toHaveAttribute("data-status", "ready");
  await expect(row).toContainText("exact (no ANN index)");
  await expect(row.getByRole("cell").nth(2)).toHaveText(String(PRODUCTS.length));
  await expect(row.locator("time")).toBeVisible();
});
