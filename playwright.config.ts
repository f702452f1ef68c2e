import { defineConfig } from "@playwright/test";

// E2E_PORT lets two suites run side by side (a developer and a CI clone); specs that start their
// own instances take the ports after it (faults.spec.ts 1–3 and 14, the others one each up to 13).
const PORT = Number(process.env.E2E_PORT ?? 3100);

// Runs against the production build (`npm run build` first), with Debian's Chromium: Playwright's
// own browser download cannot run here (ENVIRONMENT.md). DATABASE_URL / REDIS_URL pass through, so
// CI drives the real servers; without them the embedded default is used.
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
      ],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${PORT}/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      // The stream spec's gRPC producer talks to this one; other spawned servers have it off.
      LAKE_GRPC_PORT: String(PORT + 10_000),
      LAKE_DATA_DIR: ".data/e2e",
      // Several specs sign the same admin in from one IP; the limit itself is tested in
      // server/auth/authentication.int.test.ts.
      LAKE_RATE_LIMIT_AUTH_PER_15_MIN: "100",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      // The first admin, with known credentials for the identity story (e2e/identity.spec.ts).
      LAKE_ADMIN_EMAIL: "admin@lake.test",
      LAKE_ADMIN_PASSWORD: "correct horse battery staple",
    },
  },
});
