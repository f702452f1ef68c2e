import { expect, test, type BrowserContext, type Page } from "@playwright/test";

import { signIn, signOut, submitCode, submitPassword } from "./support/console-session";
import { startSecondMachine } from "./support/second-machine";
import { totpCodeAfter } from "./support/totp";

// The identity story, in a real browser against the production server: an admin turns on
// two-factor authentication, proves it and a single-use backup code at sign-in, and invites a
// reader, who must replace the generated password and then creates a read-only API key that the
// REST API honours as exactly that.
//
// The steps build on one another (one server, one database), so they run in order and a retry
// would only replay a story whose state already moved on.
test.describe.configure({ mode: "serial", retries: 0 });

const ADMIN = { email: "admin@lake.test", password: "correct horse battery staple" };
const READER = { email: "reader@lake.test", name: "Rita Reader" };
const READER_PASSWORD = "a river of quiet numbers";

// The reader works from a machine of their own, as two people would: sign-in attempts are limited
// per client IP as well as per account (10 per 15 minutes by default), and the admin's part of the
// story alone makes nine.
const READER_ADDRESS = "127.0.0.2";

let readerMachine: Awaited<ReturnType<typeof startSecondMachine>> | undefined;
let initialPassword = "";
let apiKey = "";
let readerContext: BrowserContext | undefined;
let readerPage: Page | undefined;

function readerOrigin(): string {
  if (!readerMachine) throw new Error("the reader's machine starts before the tests");
  return readerMachine.origin;
}

function reader(): Page {
  if (!readerPage) throw new Error("the reader's session comes from an earlier step");
  return readerPage;
}

test.beforeAll(async ({ baseURL }) => {
  readerMachine = await startSecondMachine({ lake: baseURL!, address: READER_ADDRESS });
});

test.afterAll(async () => {
  await readerContext?.close();
  await readerMachine?.close();
});

test("the admin turns on TOTP, signs in with it and with a single-use backup code, and invites a reader", async ({
  page,
}) => {
  // Two waits for a fresh 30-second TOTP step: a step, once accepted, is refused (replay guard).
  test.setTimeout(180_000);
  let secret = "";
  let usedStep = 0;
  let backupCodes: string[] = [];

  await test.step("signs in with the password alone", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await signIn(page, ADMIN);
    await expect(page).toHaveTitle(/Dashboard · Datapunk Lake/);
    await expect(page.getByRole("navigation")).toContainText("Audit log");
  });

  await test.step("enrolls an authenticator app", async () => {
    await page.getByRole("link", { name: "Security" }).click();
    await expect(page.getByTestId("mfa-status")).toHaveText("Off");
    await page.getByRole("button", { name: "Set up authenticator app" }).click();
    await expect(page.getByAltText(/QR code/)).toBeVisible();
    secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    const { code, step } = await totpCodeAfter(secret);
    usedStep = step;
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Verify and turn on" }).click();
  });

  await test.step("sees the ten backup codes once and stores them", async () => {
    const dialog = page.getByTestId("backup-codes-dialog");
    await expect(dialog).toBeVisible();
    backupCodes = (await dialog.getByTestId("backup-code").allTextContents()).map((c) => c.trim());
    expect(backupCodes).toHaveLength(10);
    for (const code of backupCodes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}$/);

    // Closing waits for the acknowledgement.
    const done = dialog.getByRole("button", { name: "Done" });
    await expect(done).toBeDisabled();
    await dialog.getByLabel("I have saved these backup codes").check();
    await done.click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("mfa-status")).toHaveText("On");
    await expect(page.getByTestId("backup-codes-remaining")).toHaveText("10 of 10");
  });

  await test.step("signs in again with email, password and a TOTP code", async () => {
    await signOut(page);
    await submitPassword(page, ADMIN);
    const { code, step } = await totpCodeAfter(secret, usedStep);
    usedStep = step;
    await submitCode(page, code);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
  });

  await test.step("signs in with a backup code instead", async () => {
    await signOut(page);
    await signIn(page, ADMIN, backupCodes[0]);
    await page.goto("/account/security");
    await expect(page.getByTestId("backup-codes-remaining")).toHaveText("9 of 10");
  });

  await test.step("cannot use the same backup code twice, and signs in with TOTP", async () => {
    await signOut(page);
    await submitPassword(page, ADMIN);
    await submitCode(page, backupCodes[0]!);
    await expect(page.getByText("That code did not work.")).toBeVisible();
    await expect(page.getByLabel("Authentication code")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/login/);

    // The form stays on the code step: the right code now signs in without the password again.
    const { code } = await totpCodeAfter(secret, usedStep);
    await submitCode(page, code);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
  });

  await test.step("invites a reader and gets the initial password once", async () => {
    await page.getByRole("link", { name: "Users" }).click();
    await expect(page.getByTestId("users-table")).toContainText(ADMIN.email);
    await page.getByRole("button", { name: "Invite user" }).click();
    const dialog = page.getByTestId("invite-user-dialog");
    await dialog.getByLabel("Email").fill(READER.email);
    await dialog.getByLabel("Name").fill(READER.name);
    await dialog.getByRole("checkbox", { name: "reader" }).check();
    await dialog.getByRole("checkbox", { name: "admin" }).uncheck();
    await dialog.getByRole("button", { name: "Invite user" }).click();

    initialPassword = (await dialog.getByTestId("initial-password").textContent())!.trim();
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();

    const row = page.locator(`[data-testid=user-row][data-email="${READER.email}"]`);
    await expect(row).toContainText("reader");
    await expect(row).toContainText("Password change pending");
  });
});

test("the reader sees the error for a wrong password, then must replace the initial one", async ({
  browser,
}) => {
  readerContext = await browser.newContext({ baseURL: readerOrigin() });
  const page = (readerPage = await readerContext.newPage());

  await test.step("a wrong password is refused with a message on the field", async () => {
    await submitPassword(page, { email: READER.email, password: "not the password at all" });
    const password = page.getByLabel("Password", { exact: true });
    await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toBeFocused();
  });

  await test.step("the initial password leads to the password change, and nowhere else", async () => {
    await page.getByLabel("Password", { exact: true }).fill(initialPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account\/password$/);
    await expect(page.getByTestId("password-gate")).toContainText("Choose a new password");
    await page.goto("/account/api-keys");
    await expect(page).toHaveURL(/\/account\/password$/);
  });

  await test.step("changing it signs out everywhere; the new one signs in", async () => {
    await page.getByLabel("Current password").fill(initialPassword);
    await page.getByLabel("New password", { exact: true }).fill(READER_PASSWORD);
    await page.getByLabel("Confirm new password").fill(READER_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/login\?message=password-changed/);
    await expect(page.getByTestId("sign-in-notice")).toContainText("password was changed");

    await signIn(page, { email: READER.email, password: READER_PASSWORD });
    await expect(page).toHaveTitle(/Dashboard · Datapunk Lake/);
    await expect(page.getByRole("navigation")).not.toContainText("Audit log");
  });
});

test("a non-admin who opens an admin page gets a 403 page", async () => {
  const page = reader();
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/403/);
  await expect(page.getByTestId("forbidden")).toContainText("You do not have access");
  await expect(page.getByTestId("users-table")).toHaveCount(0);
});

test("the reader creates an API key limited to read, shown once", async () => {
  const page = reader();
  await page.goto("/account/api-keys");
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await page.getByRole("button", { name: "Create API key" }).click();

  const dialog = page.getByTestId("create-api-key-dialog");
  await dialog.getByLabel("Name").fill("reader script");
  // Only what the reader's roles allow is offered.
  await expect(dialog.getByRole("checkbox")).toHaveCount(1);
  await dialog.getByRole("checkbox", { name: "read" }).check();
  await expect(dialog.getByLabel("Expires after (days)")).toHaveValue("90");
  // A limit of its own, below the default: allowed to anyone.
  await dialog.getByLabel("Rate limit (requests per hour, optional)").fill("0");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog).toContainText("Leave empty for the default");
  await dialog.getByLabel("Rate limit (requests per hour, optional)").fill("200");
  await dialog.getByRole("button", { name: "Create key" }).click();

  apiKey = (await dialog.getByTestId("api-key-secret").textContent())!.trim();
  expect(apiKey).toMatch(/^dpl_/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId("api-key-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("reader script");
  await expect(row).toContainText("200 requests/hour");
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");
  // The secret is not on the page any more.
  await expect(page.getByText(apiKey)).toHaveCount(0);
});

test("the key reads /me, exchanges for a Bearer token, and cannot write", async ({ request }) => {
  const origin = readerOrigin();
  const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });

  const me = await request.get(`${origin}/api/v1/lake/me`, { headers: bearer(apiKey) });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    email: READER.email,
    roles: ["reader"],
    permissions: ["read"],
    via: "api_key",
  });

  const exchange = await request.post(`${origin}/api/v1/lake/auth/token`, {
    data: { api_key: apiKey },
  });
  expect(exchange.status()).toBe(200);
  const token = (await exchange.json()) as { access_token: string; token_type: string };
  expect(token.token_type).toBe("Bearer");

  // The key and its token read the data API but cannot write to it.
  for (const credential of [apiKey, token.access_token]) {
    const read = await request.get(`${origin}/api/v1/lake/data`, { headers: bearer(credential) });
    expect(read.status()).toBe(200);
    const write = await request.post(`${origin}/api/v1/lake/data`, {
      headers: bearer(credential),
      data: { dataset: "anything", payload: { attempt: "write" } },
    });
    expect(write.status()).toBe(403);
    expect(await write.json()).toMatchObject({ error_code: "forbidden" });
  }
  const viaToken = await request.get(`${origin}/api/v1/lake/me`, {
    headers: bearer(token.access_token),
  });
  expect(((await viaToken.json()) as { permissions: string[] }).permissions).toEqual(["read"]);

  // The console shows where the key was last used from.
  const page = reader();
  await page.reload();
  await expect(page.getByTestId("api-key-row")).toContainText(`from ${READER_ADDRESS}`);
});

test("a mutation with the session cookie but another site's Origin is refused (CSRF)", async () => {
  const page = reader();
  const response = await page.request.post("/api/trpc/account.apiKeys.create", {
    headers: { Origin: "https://evil.example" },
    data: { name: "planted by another site", scopes: ["read"] },
  });
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { data: { error_code: string } } };
  expect(body.error.data.error_code).toBe("forbidden");

  await page.reload();
  await expect(page.getByTestId("api-key-row")).toHaveCount(1);
  await expect(page.getByText("planted by another site")).toHaveCount(0);
});
