import { expect, test } from "@playwright/test";

import { signIn } from "./support/console-session";

// The console's first page shows the real status of this instance's dependencies.

test("the dashboard shows live database and Redis status", async ({ page }) => {
  await page.goto("/");
  await signIn(page, { email: "admin@lake.test", password: "correct horse battery staple" });
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
