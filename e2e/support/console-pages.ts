import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";

import { navSectionsFor } from "../../components/shell/nav-items";

import { submitPassword, type Credentials } from "./console-session";

/** Pages reached from another page rather than from the sidebar. */
export const PAGES_BEYOND_NAVIGATION: readonly { path: string; name: string }[] = [
  { path: "/account/password", name: "Change password" },
  { path: "/api-reference/stream", name: "Stream protocol" },
  { path: "/api-reference/graphql", name: "GraphQL reference" },
  { path: "/api-reference/grpc", name: "gRPC reference" },
];

/**
 * Every console page an admin can open: the sidebar's entries (so a page added to the navigation
 * is checked without touching the specs) and the pages reached from elsewhere.
 */
export function consolePages(): { path: string; name: string }[] {
  const listed = navSectionsFor({
    admin: true,
    permissions: new Set(["read", "write", "delete"]),
  }).flatMap((section) => section.items.map((item) => ({ path: item.href, name: item.label })));
  return [...listed, ...PAGES_BEYOND_NAVIGATION];
}

/** A context signed in as `admin` (once: sign-in attempts are rate limited per address). */
export async function signedInContext(
  browser: Browser,
  baseURL: string,
  admin: Credentials,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await submitPassword(page, admin);
  await expect(page.getByTestId("signed-in-email")).toHaveText(admin.email);
  await page.close();
  return context;
}

/**
 * Opens `path` and waits until the page has drawn what it loads: its h1 is there and nothing
 * announces itself busy any more (a scan or a measurement of a half-loaded page proves little).
 */
export async function openSettled(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
}

/** A dataset holding one record, through the REST API, so its page has a table to show. */
export async function seedDataset(api: APIRequestContext, admin: Credentials, name: string) {
  const token = await api.post("/api/v1/lake/auth/token", { data: admin });
  expect(token.status(), await token.text()).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${access_token}` };
  const dataset = await api.post("/api/v1/lake/datasets", { headers, data: { name } });
  expect(dataset.status(), await dataset.text()).toBe(201);
  const record = await api.post("/api/v1/lake/data", {
    headers,
    data: {
      dataset: name,
      records: [{ status: "paid", amount: 42.5, customer: "Ada Lovelace", note: "x".repeat(120) }],
    },
  });
  expect(record.status(), await record.text()).toBe(201);
}
