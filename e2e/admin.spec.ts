import { readFileSync } from "node:fs";

import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from "@playwright/test";

import { openSettled, signedInContext } from "./support/console-pages";
import { useSpawnedLake } from "./support/spawn-lake";

// Administration at scale: users found by search and paged (the view in the URL), the audit log
// narrowed with its action picker and resource filters and downloaded as CSV, and tables whose
// columns and buttons stay put. At desktop size and on a phone.
//
// A Lake of its own (E2E_PORT+17): it fills the user list, and identity.spec.ts turns the shared
// admin's MFA on.

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const ADMIN = { email: "admin-pages@lake.test", password: "a well administered lake" };
/** More than one page of users (25 a page) share this word. */
const INVITED = 27;
const TAG = "pager";

const { origin } = useSpawnedLake(
  {
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    LAKE_RATE_LIMIT_AUTH_PER_15_MIN: "100",
  },
  E2E_PORT + 17,
);

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** A console mutation as the page's tRPC client sends it: same origin, the session cookie. */
async function trpcMutation(api: APIRequestContext, procedure: string, input: unknown) {
  const response = await api.post(`/api/trpc/${procedure}`, {
    data: input,
    headers: { origin: origin() },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** One signed-in admin for the whole file: sign-ins are slow (argon2) and rate limited. */
let admin: BrowserContext | undefined;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  admin = await signedInContext(browser, origin(), ADMIN);
  for (let i = 1; i <= INVITED; i++) {
    const n = String(i).padStart(2, "0");
    await trpcMutation(admin.request, "admin.users.invite", {
      email: `${TAG}-${n}@lake.test`,
      name: `Paged Person ${n}`,
      roleNames: ["reader"],
    });
  }
  await trpcMutation(admin.request, "admin.roles.create", {
    name: "auditor",
    description: "Reads everything, changes nothing.",
    permissions: ["read"],
    requireMfa: false,
  });
});

test.afterAll(async () => {
  await admin?.close();
});

async function adminPage(viewport: { width: number; height: number }) {
  if (!admin) throw new Error("the admin signs in before the tests");
  const page = await admin.newPage();
  await page.setViewportSize(viewport);
  return page;
}

/** The width of each column header, to compare one page's layout with another's. */
const columnWidths = (page: Page) =>
  page
    .getByTestId("users-table")
    .locator("thead th")
    .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width)));

for (const viewport of VIEWPORTS) {
  test(`users: search and pages, kept in the URL (${viewport.name})`, async () => {
    const page = await adminPage(viewport);
    const rows = page.getByTestId("user-row");
    const range = page.getByTestId("users-range");

    await test.step("a search in any case finds users by email or name", async () => {
      await openSettled(page, "/admin/users");
      await page.getByLabel("Search users").fill("PAGED person 07");
      await expect(page).toHaveURL(/[?&]q=PAGED\+person\+07/);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute("data-email", `${TAG}-07@lake.test`);
      await page.getByLabel("Search users").fill("nobody-here");
      await expect(page.getByText("No users match “nobody-here”")).toBeVisible();
    });

    await test.step("25 a page, the next page in the URL, the same columns", async () => {
      await page.getByLabel("Search users").fill(TAG);
      await expect(range).toContainText(`1–25 of ${INVITED}`);
      await expect(rows).toHaveCount(25);
      await expect(page.getByRole("button", { name: "Previous page" })).toBeDisabled();
      const before = await columnWidths(page);
      await page.getByRole("button", { name: "Next page" }).click();
      await expect(page).toHaveURL(/[?&]page=2/);
      await expect(range).toContainText(`26–${INVITED} of ${INVITED}`);
      await expect(rows).toHaveCount(INVITED - 25);
      await expect(rows.first()).toHaveAttribute("data-email", `${TAG}-26@lake.test`);
      await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();
      expect(await columnWidths(page)).toEqual(before);
    });

    await test.step("a reload shows the same view", async () => {
      await page.reload();
      await expect(page.getByLabel("Search users")).toHaveValue(TAG);
      await expect(range).toContainText(`26–${INVITED} of ${INVITED}`);
      await page.getByRole("button", { name: "Previous page" }).click();
      await expect(range).toContainText(`1–25 of ${INVITED}`);
      await expect(page).not.toHaveURL(/page=/);
    });

    await test.step("a user's dialog opens from any page", async () => {
      await page.getByRole("button", { name: `Manage ${TAG}-03@lake.test` }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await page.keyboard.press("Escape");
    });
    await page.close();
  });

  test(`audit log: the action picker, resource filters and CSV export (${viewport.name})`, async () => {
    const page = await adminPage(viewport);
    await openSettled(page, "/admin/audit");
    await expect(page.getByText("every data change")).toBeVisible();
    const action = page.getByLabel("Action");

    await test.step("the picker lists the actions by area", async () => {
      for (const name of [
        "user.invite",
        "record.update",
        "api_key.rotate",
        "auth.sign_in.failure",
      ]) {
        await expect(action.locator(`option[value="${name}"]`)).toHaveCount(1);
      }
      await expect(action.locator('optgroup[label="Users"] option[value="user."]')).toHaveText(
        "Users: all actions",
      );
    });

    await test.step("an action and a resource narrow the list", async () => {
      await action.selectOption("user.invite");
      await page.getByLabel("Resource type").selectOption("user");
      await page.getByRole("button", { name: "Apply filters" }).click();
      const rows = page.getByTestId("audit-row");
      await expect(rows).toHaveCount(INVITED);
      for (const value of await rows.evaluateAll((r) => r.map((row) => row.dataset.action))) {
        expect(value).toBe("user.invite");
      }
      await page.getByLabel("Resource type").selectOption("role");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page.getByText("No entries match these filters")).toBeVisible();
      await action.selectOption("role.");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute("data-action", "role.create");
    });

    await test.step("the CSV holds exactly what the filters select", async () => {
      await action.selectOption("user.invite");
      await page.getByLabel("Resource type").selectOption("user");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page.getByTestId("audit-row")).toHaveCount(INVITED);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^audit-log-.+\.csv$/);
      const lines = readFileSync(await download.path(), "utf8")
        .trimEnd()
        .split("\r\n");
      expect(lines[0]).toBe(
        "id,at,actor_id,actor_email,actor_type,action,resource_type,resource_id,ip,request_id,summary",
      );
      expect(lines).toHaveLength(1 + INVITED);
      for (const line of lines.slice(1))
        expect(line).toContain(`,${ADMIN.email},session,user.invite,user,`);
    });
    await page.close();
  });

  test(`roles: the action buttons keep their place (${viewport.name})`, async () => {
    const page = await adminPage(viewport);
    await openSettled(page, "/admin/roles");
    const edits = page.getByTestId("role-row").getByRole("button", { name: /^Edit / });
    await expect(edits).toHaveCount(3);
    await expect(page.getByRole("button", { name: "Delete auditor" })).toBeVisible();
    const lefts = await edits.evaluateAll((buttons) =>
      buttons.map((button) => Math.round(button.getBoundingClientRect().left)),
    );
    expect(new Set(lefts).size, `Edit buttons at ${lefts.join(", ")}`).toBe(1);
    await page.close();
  });
}
