// Prints one closing line per test runner and a total, in the plain "N passed, N failed" form,
// from the JSON reports .ci/run asks vitest and Playwright to write.
import { readFileSync } from "node:fs";

const read = (file) => JSON.parse(readFileSync(file, "utf8"));

const vitest = read("reports/vitest.json");
const v = {
  passed: vitest.numPassedTests,
  failed: vitest.numFailedTests,
  skipped: vitest.numPendingTests + vitest.numTodoTests,
};

const playwright = read("reports/playwright.json").stats;
const p = {
  passed: playwright.expected + playwright.flaky,
  failed: playwright.unexpected,
  skipped: playwright.skipped,
};

const line = (name, r) =>
  console.log(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
line("vitest", v);
line("playwright", p);
line("total", {
  passed: v.passed + p.passed,
  failed: v.failed + p.failed,
  skipped: v.skipped + p.skipped,
});
if (v.passed + p.passed === 0 || v.failed + p.failed > 0) process.exit(1);
