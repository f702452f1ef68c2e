import { expect, test, type Page } from "@playwright/test";

import {
  consolePages,
  openSettled,
  PAGES_BEYOND_NAVIGATION,
  seedDataset,
  signedInContext,
} from "./support/console-pages";
import { useSpawnedLake } from "./support/spawn-lake";

// The console's navigation on a phone (390×844): a menu button opens a drawer with every entry
// labelled and the current page marked; it closes on Escape, on the backdrop and on navigating,
// giving focus back; no console page scrolls sideways. An unknown address answers 404 with a
// branded page that keeps the navigation and offers a way back, and so does a page that fails.
//
// A Lake of its own: this file sorts after identity.spec.ts, which turns the shared admin's MFA on.

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "nav-admin@lake.test", password: "a phone-sized navigation passphrase" };

const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    LAKE_RATE_LIMIT_AUTH_PER_15_MIN: "100",
    // /e2e-error fails while rendering: no real page fails on demand (server/env.ts).
    LAKE_E2E_ERROR_ROUTE: "1",
  },
  E2E_PORT + 11,
);

const DATASET = "nav_orders";

test.use({ viewport: { width: 390, height: 844 } });

test.beforeAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: origin() });
  await seedDataset(api, ADMIN, DATASET);
  await api.dispose();
});

async function signedInPage(browser: Parameters<typeof signedInContext>[0]): Promise<Page> {
  const context = await signedInContext(browser, origin(), ADMIN);
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

test("the menu button opens a drawer with every entry labelled and the current page marked", async ({
  browser,
}) => {
  const page = await signedInPage(browser);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Console" });
  const drawer = page.locator("#console-navigation");

  await test.step("closed: the top bar names the page and shows the menu button", async () => {
    await openSettled(page, "/data");
    await expect(page.getByTestId("current-page-name")).toHaveText("Data");
    await expect(menu).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toHaveAttribute("aria-controls", "console-navigation");
    await expect(nav).toBeHidden();
  });

  await test.step("open: every entry visible by its label, the current one marked", async () => {
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(nav).toBeVisible();
    const beyond = new Set(PAGES_BEYOND_NAVIGATION.map((p) => p.path));
    for (const { name } of consolePages().filter((p) => !beyond.has(p.path))) {
      await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(nav.locator('[aria-current="page"]')).toHaveText("Data");
    await expect(nav.getByRole("link", { name: "Data", exact: true })).toBeFocused();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    // The page under the drawer neither scrolls nor takes focus.
    expect(await page.evaluate(() => document.body.style.overflow)).toBe("hidden");
    await expect(page.locator("#main")).toHaveAttribute("inert", "");
  });

  await test.step("Escape closes it and gives focus back to the menu button", async () => {
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(drawer).toBeHidden();
    await expect(menu).toBeFocused();
    expect(await page.evaluate(() => document.body.style.overflow)).toBe("");
  });

  await test.step("a tap on the backdrop closes it", async () => {
    await menu.click();
    await expect(nav).toBeVisible();
    await page.mouse.click(370, 600);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(drawer).toBeHidden();
  });

  await test.step("choosing another page navigates there and closes it", async () => {
    await menu.click();
    await nav.getByRole("link", { name: "Imports", exact: true }).click();
    await expect(page).toHaveURL(/\/imports$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Imports");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(drawer).toBeHidden();
    await expect(page.getByTestId("current-page-name")).toHaveText("Imports");
    await menu.click();
    await expect(nav.locator('[aria-current="page"]')).toHaveText("Imports");
  });

  await page.context().close();
});

test("no console page scrolls sideways on a phone", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await signedInPage(browser);
  const pages = [...consolePages(), { path: `/data/${DATASET}` }, { path: "/no-such-page" }];
  for (const { path } of pages) {
    await test.step(path, async () => {
      await openSettled(page, path);
      // <main> is the scroller, so content wider than the screen would scroll it, not the
      // document: both must fit.
      const widths = await page.evaluate(() => {
        const main = document.getElementById("main")!;
        return {
          document: document.scrollingElement!.scrollWidth,
          main: main.scrollWidth,
          mainBox: main.clientWidth,
          viewport: window.innerWidth,
        };
      });
      expect.soft(widths.document, `${path}: document width`).toBeLessThanOrEqual(widths.viewport);
      expect.soft(widths.main, `${path}: content width`).toBeLessThanOrEqual(widths.mainBox);
    });
  }
  await page.context().close();
});

test("a dialog fits the phone screen and scrolls inside itself", async ({ browser }) => {
  const page = await signedInPage(browser);
  await openSettled(page, "/admin/users");
  await page.getByRole("button", { name: "Invite user" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  // Its last control can be reached, however long the form.
  const submit = dialog.getByRole("button", { name: "Invite user" });
  await submit.scrollIntoViewIfNeeded();
  await expect(submit).toBeInViewport();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.context().close();
});

test("at desktop width the sidebar shows every entry and there is no menu button", async ({
  browser,
}) => {
  const page = await signedInPage(browser);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSettled(page, "/admin/api-keys");
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "My API keys" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "All API keys" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  await page.context().close();
});

test("an unknown address answers 404 with the branded page, the navigation and a way back", async ({
  browser,
}) => {
  const page = await signedInPage(browser);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Datapunk Lake");
  await expect(page.getByTestId("not-found")).toContainText("There is no page at this address");
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: "Back to the dashboard" }).click();
  await expect(page).toHaveURL(`${origin()}/`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  await page.context().close();
});

test("a page that fails shows the branded error page with the navigation and ways back", async ({
  browser,
}) => {
  const page = await signedInPage(browser);
  const response = await page.goto("/e2e-error");
  expect(response?.status()).toBe(500);
  const error = page.getByTestId("page-error");
  await expect(error.getByRole("heading", { level: 1 })).toHaveText("Something went wrong");
  await expect(error).toContainText("This page could not be shown");
  // The server's reference for the failure (its log carries it), never the error's own message.
  await expect(error).toContainText("give your administrator this reference");
  await expect(error.locator("code")).toHaveText(/^\w+$/);
  await expect(page.getByText("deliberate failure")).toHaveCount(0);
  // The console stays around it: the top bar, and the navigation behind the menu button.
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("navigation", { name: "Console" })).toBeHidden();

  // Try again renders the page again: it fails again, and the page says so again.
  const rendered = page.waitForResponse((r) => new URL(r.url()).pathname === "/e2e-error");
  await error.getByRole("button", { name: "Try again" }).click();
  await rendered;
  await expect(error.getByRole("heading", { level: 1 })).toHaveText("Something went wrong");
  await expect(page).toHaveURL(`${origin()}/e2e-error`);

  await error.getByRole("link", { name: "Back to the dashboard" }).click();
  await expect(page).toHaveURL(`${origin()}/`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  await page.context().close();
});

test("signed out, an unknown address answers 404 with the branded page and a way to sign in", async ({
  page,
}) => {
  const response = await page.goto(`${origin()}/no-such-page`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toContainText("Page not found");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});
