import { expect, type Page } from "@playwright/test";

export type Credentials = { email: string; password: string };

/** Fills the sign-in form's first step and submits it (ends on whatever the server answers). */
export async function submitPassword(page: Page, { email, password }: Credentials) {
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The second step: a TOTP or backup code. */
export async function submitCode(page: Page, code: string) {
  const field = page.getByLabel("Authentication code");
  await expect(field).toBeVisible();
  await field.fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

/** Signs in through the form, with a second factor when `code` is given, and waits for the console. */
export async function signIn(page: Page, credentials: Credentials, code?: string) {
  await submitPassword(page, credentials);
  if (code !== undefined) await submitCode(page, code);
  await expect(page.getByTestId("signed-in-email")).toHaveText(credentials.email);
}

/** Signs out with the sidebar's control and waits for the sign-in page to say so. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?message=signed-out/);
  await expect(page.getByTestId("sign-in-notice")).toContainText("signed out");
}
