import { createServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";

import { expect, test } from "@playwright/test";

import { verifyWebhook } from "../server/stream/webhooks/sign-webhook";
import { submitPassword } from "./support/console-session";
import { useSpawnedLake } from "./support/spawn-lake";

// The Analytics and Alerts story, in a real browser against a production server: an analyst
// creates an aggregation rule (2-second windows) on the Analytics page, a webhook and a
// threshold alert on the Alerts page (previewing it first), then metrics arrive through the REST
// API — the chart draws the closed window as the engine announces it, the alert fires on the
// page, and a real HTTP endpoint started here receives the signed notification.
test.describe.configure({ mode: "serial", retries: 0 });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "alerts-admin@lake.test", password: "a long alerts passphrase" };

// Its own Lake (the sixth port after live.spec's and the two stream instances'): webhooks to
// this machine are allowed here, as a lab would allow them.
const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    REDIS_URL: process.env.REDIS_URL ?? "",
    LAKE_REDIS_PREFIX: `lake-e2e-alerts-${Date.now()}:`,
    LAKE_WEBHOOK_ALLOW_PRIVATE: "true",
  },
  E2E_PORT + 9,
);

const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
test.beforeAll(() => new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve)));
test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

test("an analyst charts a new rule's windows live and an alert on them fires and notifies", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const run = Date.now().toString(36);
  const ruleName = `latency_${run}`;
  const alertName = `slow_${run}`;
  let apiKey = "";
  let secret = "";

  await test.step("signs in and creates an API key to send metrics with", async () => {
    await page.goto(`${origin()}/login`);
    await submitPassword(page, ADMIN);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
    const created = await page.request.post(`${origin()}/api/trpc/account.apiKeys.create`, {
      headers: { Origin: origin() },
      data: { name: "metrics producer", scopes: ["read", "write"] },
    });
    expect(created.status(), await created.text()).toBe(200);
    apiKey = ((await created.json()) as { result: { data: { key: string } } }).result.data.key;
  });

  await test.step("creates an aggregation rule on the Analytics page", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Analytics" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Analytics");
    await page.getByRole("button", { name: "New aggregation rule" }).click();
    const form = page.getByRole("form", { name: "New aggregation rule" });
    await form.getByLabel("Name").fill(ruleName);
    await form.getByLabel("Window (seconds)").fill("2");
    // Room for the Lake's own lag: an event the engine applies after its window's close time is
    // late, and kept out of the window.
    await form.getByLabel("Grace (seconds)").fill("3");
    await form.getByLabel("Group by").fill("payload.host");
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByLabel("Rule", { exact: true })).toHaveValue(ruleName);
    await expect(page.getByText("No windows in this range yet")).toBeVisible();
    await expect(page.getByTestId("live-connection")).toHaveAttribute("data-state", "live");
  });

  await test.step("adds a webhook and a threshold alert, previewed first, on the Alerts page", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Alerts" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Alerts");
    const hookForm = page.getByRole("form", { name: "New webhook" });
    await hookForm.getByLabel("Webhook name").fill(`hook-${run}`);
    await hookForm
      .getByLabel("URL")
      .fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lake`);
    await hookForm.getByRole("button", { name: "Add webhook" }).click();
    secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "New alert rule" }).click();
    const form = page.getByRole("form", { name: "New alert rule" });
    await form.getByLabel("Name").fill(alertName);
    await form.getByLabel("Aggregation").selectOption(ruleName);
    await form.getByLabel("Function").selectOption("avg");
    await form.getByLabel("Threshold").fill("500");
    await form.getByLabel("Webhook").selectOption(`hook-${run}`);
    await form.getByRole("button", { name: "Preview over the last 24 h" }).click();
    await expect(page.getByTestId("alert-preview")).toContainText("Over 0 stored windows");
    await form.getByRole("button", { name: "Create alert rule" }).click();
    const row = page.locator(`[data-testid="alert-rule"][data-name="${alertName}"]`);
    await expect(row).toContainText("avg > 500");
    await expect(row).toContainText("No windows yet");
  });

  await test.step("metrics arrive through the API: the chart draws the closed window", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Analytics" }).click();
    await page.getByLabel("Rule", { exact: true }).selectOption(ruleName);
    await page.getByLabel("Function", { exact: true }).selectOption("avg");
    await expect(page.getByTestId("live-connection")).toHaveAttribute("data-state", "live");
    const now = Date.now();
    const response = await page.request.post(`${origin()}/api/v1/lake/stream/events`, {
      headers: { "X-API-Key": apiKey },
      data: {
        events: [700, 900].map((value, i) => ({
          topic: "system_metrics",
          partition_key: "db-1",
          event_time: new Date(now + i).toISOString(),
          payload: { host: "db-1", name: "latency_ms", value },
        })),
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    // The window closes three to five seconds on (its end, then three seconds of grace). The engine
    // storing it and the page redrawing are told apart: a failure then says which one was late.
    await expect
      .poll(
        async () => {
          const windows = await page.request.get(
            `${origin()}/api/v1/lake/windows/rules/${ruleName}/windows`,
            { headers: { "X-API-Key": apiKey } },
          );
          return windows.text();
        },
        { timeout: 15_000, message: "the engine stores the closed window" },
      )
      .toContain('"count":2');
    // The page redraws when the engine announces the window — without a reload.
    const chart = page.getByTestId("series-chart");
    await expect(chart).toBeVisible({ timeout: 10_000 });
    await expect(chart).toContainText("db-1: 800");
  });

  await test.step("the alert fires on the Alerts page and its webhook hears it, signed", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Alerts" }).click();
    const row = page.locator(`[data-testid="alert-rule"][data-name="${alertName}"]`);
    await expect(row.locator('[data-state="firing"]')).toHaveText("1 firing", { timeout: 15_000 });
    await row.getByRole("button", { name: alertName }).click();
    await expect(page.locator('[data-testid="alert-transition"][data-to="firing"]')).toContainText(
      "800",
    );
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [delivery] = received;
    expect(verifyWebhook(secret, delivery!.body, String(delivery!.headers["lake-signature"]))).toBe(
      true,
    );
    expect(JSON.parse(delivery!.body)).toMatchObject({
      alert: alertName,
      aggregation: ruleName,
      state: "firing",
      group: { "payload.host": "db-1" },
      value: 800,
    });
    await page.getByRole("button", { name: `hook-${run}` }).click();
    // The delivery log refreshes every five seconds.
    await expect(page.getByTestId("webhook-delivery").first()).toContainText("delivered", {
      timeout: 15_000,
    });
  });

  expect(errors).toEqual([]);
});
