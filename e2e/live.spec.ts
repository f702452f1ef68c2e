import { expect, test, type Page } from "@playwright/test";

import { submitPassword } from "./support/console-session";
import { useSpawnedLake } from "./support/spawn-lake";

// The Live page story, in a real browser against a production server: an operator subscribes to
// user_events with a payload filter over the stream WebSocket (signed in by the console's session
// cookie), produces events through the REST API with an API key and watches them arrive in the
// tail, filtered; pauses and sees the "new" marker count what arrives meanwhile; leaves the page
// while events keep coming, comes back, then reloads while producing — and every event is in the
// tail once, in offset order, none missed.
//
// It runs its own Lake on a fresh data dir: in the full suite identity.spec.ts (which sorts
// before this file) has turned the shared server's admin to MFA by now.
test.describe.configure({ mode: "serial", retries: 0 });

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "live-admin@lake.test", password: "a long live passphrase" };

// Faults.spec.ts takes the three ports after E2E_PORT, imports.spec.ts the fourth, vectors the fifth.
const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    // The Redis event bus when the suite has Redis (CI), the in-process one otherwise.
    REDIS_URL: process.env.REDIS_URL ?? "",
    LAKE_REDIS_PREFIX: `lake-e2e-live-${Date.now()}:`,
  },
  E2E_PORT + 6,
);

type TailRow = { offset: string; id: string };

/** The tail's rows as the page shows them, top (oldest) to bottom. */
function tailRows(page: Page): Promise<TailRow[]> {
  return page.getByTestId("live-row").evaluateAll((rows) =>
    rows.map((row) => ({
      offset: (row as HTMLElement).dataset.offset ?? "",
      id: (row as HTMLElement).dataset.eventId ?? "",
    })),
  );
}

const tailIds = async (page: Page) => (await tailRows(page)).map((row) => row.id);

/** Offsets strictly increase down the tail, and no event id shows twice. */
function expectInOrderOnce(rows: TailRow[]) {
  const offsets = rows.map((row) => BigInt(row.offset));
  offsets.slice(1).forEach((offset, index) => expect(offset).toBeGreaterThan(offsets[index]!));
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
}

test("an operator follows user events live; leaving and reloading resume with no gap and no duplicate", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const run = Date.now().toString(36);
  const id = (name: string) => `${name}-${run}`;
  const connection = page.getByTestId("live-connection");
  let apiKey = "";

  /** user_events from the signed-in admin's own key: only it and admins receive them. */
  const produce = async (names: string[], action = "click") => {
    const response = await page.request.post(`${origin()}/api/v1/lake/stream/events`, {
      headers: { "X-API-Key": apiKey },
      data: {
        events: names.map((name) => ({
          id: id(name),
          topic: "user_events",
          partition_key: "u1",
          event_time: new Date().toISOString(),
          payload: { action, step: name },
        })),
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  };
  const expectTail = (names: string[]) =>
    expect.poll(() => tailIds(page), { timeout: 15_000 }).toEqual(names.map(id));

  await test.step("signs in and creates an API key to produce with", async () => {
    await page.goto(`${origin()}/login`);
    await submitPassword(page, ADMIN);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
    const created = await page.request.post(`${origin()}/api/trpc/account.apiKeys.create`, {
      headers: { Origin: origin() },
      data: { name: "live producer", scopes: ["read", "write"] },
    });
    expect(created.status(), await created.text()).toBe(200);
    apiKey = ((await created.json()) as { result: { data: { key: string } } }).result.data.key;
    expect(apiKey).toMatch(/^dpl_/);
  });

  await test.step("opens Live from the sidebar: not subscribed yet", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Live" }).click();
    await expect(page).toHaveURL(/\/live$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Live");
    await expect(connection).toHaveAttribute("data-state", "idle");
    await expect(page.getByText("Subscribe to one or more topics")).toBeVisible();
  });

  await test.step("subscribes to user_events whose action is click", async () => {
    await expect(page.getByRole("checkbox", { name: "user_events" })).toBeChecked();
    await page.getByTestId("filter-path").fill("action");
    await page.getByTestId("filter-value").fill("click");
    await page.getByTestId("filter-add").click();
    await expect(page.getByTestId("filter-chip")).toHaveText("action = click");
    await expect(page.getByTestId("live-request")).toHaveText(
      '{"type":"subscribe","topics":["user_events"],"filter":{"payload.action":"eq.click"}}',
    );
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(connection).toHaveAttribute("data-state", "live");
    await expect(connection).toHaveText("Live");
  });

  await test.step("events produced through the API arrive in the tail, filtered", async () => {
    await produce(["a1", "a2"]);
    await produce(["v1"], "view");
    await produce(["a3"]);
    await expectTail(["a1", "a2", "a3"]);
    await expect(page.getByTestId("live-received")).toHaveText("3");
  });

  await test.step("paused, the tail holds still and counts what arrives", async () => {
    await page.getByTestId("live-pause").click();
    await expect(page.getByTestId("live-pause")).toHaveText("Resume");
    await produce(["a4"]);
    await expect(page.getByTestId("live-new-marker")).toContainText("1 new");
    expect(await tailIds(page)).toEqual(["a1", "a2", "a3"].map(id));
    await page.getByTestId("live-new-marker").click();
    await expectTail(["a1", "a2", "a3", "a4"]);
    await expect(page.getByTestId("live-pause")).toHaveText("Pause");
  });

  await test.step("leaves while events keep coming, and comes back to all of them", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Data", exact: true }).click();
    await expect(page).toHaveURL(/\/data$/);
    await produce(["a5", "a6"]);
    await page.getByRole("navigation").getByRole("link", { name: "Live" }).click();
    await expect(connection).toHaveAttribute("data-state", "live");
    await expectTail(["a1", "a2", "a3", "a4", "a5", "a6"]);
  });

  await test.step("a reload while producing resumes with no gap and no duplicate", async () => {
    const beforeReload = await tailRows(page);
    await page.reload();
    // Sent while the new page loads: it arrives by the resume, once.
    await produce(["a7"]);
    await expect(connection).toHaveAttribute("data-state", "live");
    await produce(["a8"]);
    const names = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"];
    await expectTail(names);
    const rows = await tailRows(page);
    expectInOrderOnce(rows);
    // The events from before the reload are the same ones, at the same offsets.
    expect(rows.slice(0, beforeReload.length)).toEqual(beforeReload);
    await expect(page.getByTestId("live-buffered")).toHaveText(String(names.length));
    await expect(page.getByRole("checkbox", { name: "user_events" })).toBeChecked();
    await expect(page.getByTestId("filter-chip")).toHaveText("action = click");
  });

  expect(errors).toEqual([]);
});
