import { expect, test, type Page } from "@playwright/test";

import { openSettled } from "./support/console-pages";
import { submitPassword } from "./support/console-session";

// The API reference as a developer uses it: search finds an operation, "Try it" calls the live
// API with the console session (a read, and a write that passes the same-origin checks), and the
// other doors — the stream protocol, GraphQL and gRPC — have pages of their own. At desktop size
// and on a phone. On the shared server: this file sorts before identity.spec.ts, which turns the
// admin's MFA on.

const ADMIN = { email: "admin@lake.test", password: "correct horse battery staple" };

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

async function signInAdmin(page: Page) {
  await submitPassword(page, ADMIN);
  // Desktop shows the email in the sidebar; a phone names the page in its top bar instead.
  const signedIn = page.getByTestId("signed-in-email").or(page.getByTestId("current-page-name"));
  const codeStep = page.getByLabel("Authentication code");
  await expect(signedIn.or(codeStep).filter({ visible: true }).first()).toBeVisible({
    timeout: 15_000,
  });
  if (await codeStep.isVisible()) {
    throw new Error(
      "The admin asks for a second factor: identity.spec.ts ran first. api-reference.spec.ts " +
        "must run before it on a fresh server (files run in alphabetical order).",
    );
  }
}

/** Nothing wider than the screen: <main> scrolls, so both it and the document must fit. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => {
    const main = document.getElementById("main")!;
    return {
      document: document.scrollingElement!.scrollWidth,
      main: main.scrollWidth,
      mainBox: main.clientWidth,
      viewport: window.innerWidth,
    };
  });
  expect(widths.document).toBeLessThanOrEqual(widths.viewport);
  expect(widths.main).toBeLessThanOrEqual(widths.mainBox);
}

for (const viewport of VIEWPORTS) {
  test.describe(viewport.name, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("search finds operations by path, summary and tag", async ({ page }) => {
      await signInAdmin(page);
      await openSettled(page, "/api-reference");
      const search = page.getByLabel("Search operations");
      const results = page.getByTestId("api-search-results").getByRole("link");

      await search.fill("embedding");
      await expect(results.first()).toContainText("embeddings");
      for (const text of await results.allTextContents())
        expect(text.toLowerCase()).toContain("embedding");

      await search.fill("LIVENESS");
      await expect(results).toHaveCount(1);
      await expect(results.first()).toContainText("/health");
      await results.first().click();
      await expect(page).toHaveURL(/#getHealth$/);
      await expect(page.locator("article#getHealth")).toBeInViewport();

      await search.fill("audit csv");
      await expect(results.first()).toContainText("/api/v1/lake/audit/export");
      await search.fill("no such operation anywhere");
      await expect(page.getByText("No operation matches.")).toBeVisible();
      await expectNoSidewaysScroll(page);
    });

    test("Try it calls the live API with the console session", async ({ page }) => {
      await signInAdmin(page);
      await openSettled(page, "/api-reference");

      await test.step("a GET answers 200 with the signed-in user as JSON", async () => {
        const me = page.locator("article#getMe");
        await me.getByText("Try it", { exact: true }).click();
        await me.getByRole("button", { name: "Send request" }).click();
        await expect(me.getByTestId("try-it-status")).toHaveText(/^200\b/);
        const body = JSON.parse((await me.getByTestId("try-it-body").textContent()) ?? "") as {
          email?: string;
        };
        expect(body.email).toBe(ADMIN.email);
        await me.getByText(/^Headers \(\d+\)$/).click();
        await expect(me.getByText("content-type", { exact: true })).toBeVisible();
      });

      await test.step("a POST passes the same-origin checks and creates a dataset", async () => {
        const name = `try_it_${viewport.name}_${Date.now()}`;
        const create = page.locator("article#createDataset");
        await create.getByText("Try it", { exact: true }).click();
        await create.getByLabel("Request body (JSON)").fill(JSON.stringify({ name }));
        await create.getByRole("button", { name: "Send request" }).click();
        await expect(create.getByTestId("try-it-status")).toHaveText(/^201\b/);
        await expect(create.getByTestId("try-it-body")).toContainText(`"name": "${name}"`);
      });

      await test.step("invalid JSON is caught before anything is sent", async () => {
        const create = page.locator("article#createDataset");
        await create.getByLabel("Request body (JSON)").fill("{name:");
        await create.getByRole("button", { name: "Send request" }).click();
        await expect(create.getByRole("alert")).toContainText("The body is not valid JSON");
      });
      await expectNoSidewaysScroll(page);
    });

    test("the stream, GraphQL and gRPC have pages of their own", async ({ page }) => {
      await signInAdmin(page);
      await openSettled(page, "/api-reference");
      const doors = page.getByRole("navigation", { name: "API reference pages" });

      await doors.getByRole("link", { name: "Stream (WebSocket, SSE)" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Stream protocol" })).toBeVisible();
      await expect(doors.getByRole("link", { name: "Stream (WebSocket, SSE)" })).toHaveAttribute(
        "aria-current",
        "page",
      );
      await expect(
        page.getByRole("heading", { name: "WebSocket: the lake.v1 protocol" }),
      ).toBeVisible();
      await expect(page.getByText('{"type":"subscribe"', { exact: false }).first()).toBeVisible();
      await expect(page.getByText("Last-Event-ID", { exact: true }).first()).toBeVisible();
      await expectNoSidewaysScroll(page);

      await doors.getByRole("link", { name: "GraphQL" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "GraphQL" })).toBeVisible();
      await expect(page.getByText("/api/v1/lake/graphql", { exact: true }).first()).toBeVisible();
      await expect(page.getByText("graphql-transport-ws", { exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: "Open the Query page" })).toHaveAttribute(
        "href",
        "/query",
      );
      await expectNoSidewaysScroll(page);

      await doors.getByRole("link", { name: "gRPC" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "gRPC" })).toBeVisible();
      await expect(
        page.getByText("datapunk.stream.v1.StreamService", { exact: true }),
      ).toBeVisible();
      for (const method of ["Ingest", "WriteTimeSeries", "Subscribe"]) {
        await expect(page.getByRole("rowheader", { name: method })).toBeVisible();
      }
      const service = page.getByRole("region", {
        name: "proto/datapunk/stream/v1/stream_service.proto",
      });
      await expect(service).toContainText("service StreamService {");
      await expect(service).toContainText(
        "rpc Ingest(stream IngestBatch) returns (stream IngestAck);",
      );
      await expectNoSidewaysScroll(page);
    });
  });
}
