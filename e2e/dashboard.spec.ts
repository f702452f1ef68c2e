import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { signIn } from "./support/console-session";

const ADMIN = { email: "admin@lake.test", password: "correct horse battery staple" };

// The console's first page: this instance's traffic, data volumes, recent activity and the real
// status of its dependencies.

test("the dashboard shows live database and Redis status", async ({ page }) => {
  await page.goto("/");
  await signIn(page, ADMIN);
  await expect(page).toHaveTitle(/Dashboard · Datapunk Lake/);
  await expect(page.getByRole("navigation")).toContainText("Dashboard");

  await expect(page.getByTestId("status-overall")).toContainText(/operational/i);
  await expect(page.getByTestId("status-database")).toContainText(/up/i);
  await expect(page.getByTestId("database-mode")).toContainText(
    process.env.DATABASE_URL ? /PostgreSQL server/ : /Embedded PostgreSQL/,
  );
  await expect(page.getByTestId("migrations-applied")).toContainText(/[1-9]\d*/);
  await expect(page.getByTestId("status-redis")).toContainText(
    process.env.REDIS_URL ? /up/i : /not configured/i,
  );
  await expect(page.getByTestId("status-version")).toContainText(/\d+\.\d+\.\d+/);
  await expect(page.getByTestId("status-uptime")).toContainText(/\d/);
});

/** The traffic card's figures once it has loaded (it polls every 5 s). */
async function trafficTotals(page: Page) {
  const card = page.getByTestId("traffic-card");
  await expect(card).toHaveAttribute("aria-busy", "false");
  const read = async (name: string) => Number(await card.getAttribute(name));
  return {
    requests: await read("data-total-requests"),
    clientErrors: await read("data-total-client-errors"),
  };
}

/** 20 answered API calls and 5 refused ones (401), plus the token exchange: 26 requests. */
async function sendTraffic(request: APIRequestContext) {
  const exchange = await request.post("/api/v1/lake/auth/token", { data: ADMIN });
  expect(exchange.status()).toBe(200);
  const { access_token: token } = (await exchange.json()) as { access_token: string };
  for (let i = 0; i < 20; i++) {
    const answer = await request.get("/api/v1/lake/datasets", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(answer.status()).toBe(200);
  }
  for (let i = 0; i < 5; i++) {
    expect((await request.get("/api/v1/lake/datasets")).status()).toBe(401);
  }
  return { requests: 26, clientErrors: 5 };
}

test("the dashboard's live charts move while API traffic arrives", async ({ page, request }) => {
  await page.goto("/");
  await signIn(page, ADMIN);
  const before = await trafficTotals(page);

  const sent = await sendTraffic(request);

  // Within a poll or two (5 s each) the open interval's partial point carries the new requests.
  const card = page.getByTestId("traffic-card");
  await expect(card).toHaveAttribute(
    "data-total-requests",
    String(before.requests + sent.requests),
    { timeout: 15_000 },
  );
  await expect(card).toHaveAttribute(
    "data-total-client-errors",
    String(before.clientErrors + sent.clientErrors),
  );
  const requestsChart = page.getByTestId("requests-chart");
  await expect(requestsChart.locator(".recharts-area-curve")).toBeVisible();
  await expect(page.getByTestId("latency-chart").locator(".recharts-line-curve")).toHaveCount(3);
  await expect(page.getByTestId("errors-chart")).toContainText(/4xx/);
  await expect(page.getByTestId("traffic-totals")).toContainText(
    `${before.requests + sent.requests} requests`,
  );

  // The chart's line follows the next burst; the console's own polling adds nothing meanwhile.
  const curve = await requestsChart.locator(".recharts-area-curve").getAttribute("d");
  await sendTraffic(request);
  await expect(card).toHaveAttribute(
    "data-total-requests",
    String(before.requests + 2 * sent.requests),
    { timeout: 15_000 },
  );
  await expect
    .poll(() => requestsChart.locator(".recharts-area-curve").getAttribute("d"))
    .not.toBe(curve);
  await page.waitForTimeout(6_000);
  await expect(card).toHaveAttribute(
    "data-total-requests",
    String(before.requests + 2 * sent.requests),
  );

  // A text alternative: the recent samples as a table.
  await page.getByText("Recent samples as a table").click();
  await expect(card.getByRole("table")).toContainText("Requests");
});

test("the dashboard shows data volumes, recent activity and links onward", async ({ page }) => {
  await page.goto("/");
  await signIn(page, ADMIN);
  await expect(page.getByTestId("volume-datasets")).toHaveText(/^\d[\d,]*$/);
  await expect(page.getByTestId("volume-records")).toHaveText(/\d/);
  await expect(page.getByTestId("volume-imports")).toHaveText(/^\d[\d,]*$/);
  // The sign-in itself is audited; an administrator sees everyone's entries and the audit log link.
  const activity = page.getByTestId("activity-card");
  await expect(activity).toContainText("auth.");
  await expect(activity.getByRole("link", { name: "Audit log" })).toHaveAttribute(
    "href",
    "/admin/audit",
  );
  const onward = page.getByTestId("onward-links");
  for (const name of ["Data", "Imports", "Query", "Live", "Alerts"]) {
    await expect(onward.getByRole("link", { name: new RegExp(`^${name}`) })).toBeVisible();
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the dashboard fits the screen: cards stack, charts resize", async ({ page, request }) => {
    await page.goto("/");
    await signIn(page, ADMIN);
    await sendTraffic(request);
    const chart = page.getByTestId("requests-chart").locator(".recharts-surface");
    await expect(chart).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("volumes-card")).toBeVisible();
    await expect(page.getByTestId("status-overall")).toBeVisible();

    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    const box = await chart.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(box!.width).toBeGreaterThan(200);
  });
});
