import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { useTempDataDir } from "./temp-data-dir";
import { testDatabaseDialect } from "./test-database";

// Guards the second pass: in vitest's "postgresql" project the database really is PostgreSQL.
let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

it("tests talk to the database their vitest project names", async () => {
  expect(dialect()).toBe(testDatabaseDialect());
  if (dialect() === "postgresql") {
    const [row] = await db().$queryRaw<{ v: string }[]>`SELECT version() AS v`;
    expect(row?.v).toMatch(/^PostgreSQL \d+/);
  } else {
    const [row] = await db().$queryRaw<{ v: string }[]>`SELECT sqlite_version() AS v`;
    expect(row?.v).toMatch(/^3\.\d+/);
  }
});
