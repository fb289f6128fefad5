import path from "node:path";
import type { TestInfo } from "@playwright/test";

// README screenshots are made on demand (`npm run screenshots`), never by an
// ordinary test run: a run must not change tracked files. Ordinarily the same
// shot goes to the test's own output folder (untracked), so the step still runs.
export const SCREENSHOTS_ENV = "OUTPOST_SCREENSHOTS";

export function screenshotPath(testInfo: TestInfo, name: string): string {
  return process.env[SCREENSHOTS_ENV] === "1"
    ? path.join(process.cwd(), "public", "screenshots", name)
    : testInfo.outputPath(name);
}
