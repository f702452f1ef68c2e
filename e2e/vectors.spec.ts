import AxeBuilder from "@axe-core/playwright";
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

  await test.step("the results fit their column at 1440 and at 390 px, Open in reach", async () => {
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      await expect(hits).toHaveCount(5);
      const fit = await page.getByTestId("vector-results").evaluate((list) => {
        const box = list.getBoundingClientRect();
        const column = list.parentElement!.getBoundingClientRect();
        const opens = [...list.querySelectorAll("button")].map((b) => b.getBoundingClientRect());
        return {
          scrolls: list.scrollWidth > list.clientWidth + 1,
          insideColumn: box.left >= column.left - 1 && box.right <= column.right + 1,
          opensInside: opens.every((o) => o.left >= box.left && o.right <= box.right + 1),
          pageOverflow: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
      expect(fit, `at ${size.width} px`).toEqual({
        scrolls: false,
        insideColumn: true,
        opensInside: true,
        pageOverflow: false,
      });
      // Payloads read as fields, not as raw JSON.
      const payload = hits.first().getByTestId("vector-hit-payload");
      await expect(payload.locator("dt").first()).toHaveText("title");
      await expect(payload.locator("dd").first()).toHaveText("Red mountain bike");
      await expect(payload).not.toContainText("{");
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step("opens the top hit: its payload and embeddings, and adds one from text", async () => {
    const id = ids.get("Red mountain bike")!;
    await page.getByRole("button", { name: "Open record “Red mountain bike”" }).click();
    const dialog = page.getByTestId("vector-record-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("vector-record-id")).toHaveText(id);
    await expect(dialog).toContainText("red mountain bike with front suspension");
    const embeddings = dialog.getByTestId("record-embedding");
    await expect(embeddings).toHaveCount(1);
    await expect(embeddings.first()).toHaveAttribute("data-type", "TEXT");
    await expect(embeddings.first()).toContainText("1536 dimensions");

    await dialog.getByLabel("Embedding type").selectOption("CUSTOM");
    await dialog.getByLabel("Text to embed").fill("a trail bike for steep mountain paths");
    await dialog.getByRole("button", { name: "Add embedding" }).click();
    await expect(dialog.getByTestId("embedding-saved")).toContainText("Saved the CUSTOM embedding");
    await expect(embeddings).toHaveCount(2);
    await expect(dialog.locator("[data-testid=record-embedding][data-type=CUSTOM]")).toBeVisible();
    // Stored on the record, as the API shows it; the page's counts follow.
    const stored = await page.request.get(`${origin()}/api/v1/lake/data/${id}/embeddings`);
    const { items } = (await stored.json()) as { items: { type: string }[] };
    expect(items.map((item) => item.type).sort()).toEqual(["CUSTOM", "TEXT"]);
    const scan = await new AxeBuilder({ page })
      .include("[data-testid=vector-record-dialog]")
      .analyze();
    const serious = scan.violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    );
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    ).toEqual([]);
    await expect(page.getByTestId("embedding-count-CUSTOM")).toHaveText("1");
    await expect(page.getByTestId("embedding-count-TEXT")).toHaveText(String(PRODUCTS.length));
  });

  await test.step("goes on to that record on the Data page", async () => {
    const id = ids.get("Red mountain bike")!;
    await page
      .getByTestId("vector-record-dialog")
      .getByRole("link", { name: "Open in Data" })
      .click();
    await expect(page).toHaveURL(new RegExp(`/data/${DATASET}\\?record=${id}$`));
    const dialog = page.getByTestId("record-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("record-id")).toHaveText(id);
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
  await expect(panel.getByTestId("embedding-count-TEXT")).toHaveText(String(PRODUCTS.length));
  await expect(panel.getByTestId("embedding-count-IMAGE")).toHaveText("0");
  await panel.getByRole("button", { name: "Tune now" }).click();
  // Feedback where the admin clicked: started, then (six rows build at once) ready.
  const feedback = panel.getByTestId("tune-feedback");
  await expect(feedback).toHaveAttribute("data-state", "ready");
  await expect(feedback).toContainText("The TEXT · Cosine index is tuned and ready");

  // Six embeddings are far below the 1,000 an ANN index needs: the build settles on exact search
  // at once, and the polling page shows it ready with the row count and a build time.
  const row = panel.locator("[data-testid=vector-index][data-type=TEXT][data-metric=cosine]");
  await expect(row).toHaveAttribute("data-status", "ready");
  await expect(row).toContainText("exact (no ANN index)");
  await expect(row.getByRole("cell").nth(2)).toHaveText(String(PRODUCTS.length));
  await expect(row.locator("time")).toBeVisible();
});
