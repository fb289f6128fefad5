// database: sqlite only — it is about the SQLite adapter.
import { afterEach, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterEach(() => cleanup());

// A single raw statement: Prisma sends it straight to the connection (no transaction of its own).
const plainInsert = (name: string) =>
  db()
    .$executeRaw`INSERT INTO "WorkLease" ("name", "owner", "epoch", "acquiredAt", "renewedAt", "expiresAt") VALUES (${name}, 'o', 1, ${new Date()}, ${new Date()}, ${new Date()})`;

it("a plain write issued while a transaction is open is not rolled back with it", async () => {
  await db().workLease.count(); // connect + migrate before the race
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let isInside!: () => void;
  const inside = new Promise<void>((resolve) => {
    isInside = resolve;
  });
  const failing = db()
    .$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "WorkLease" ("name", "owner", "epoch", "acquiredAt", "renewedAt", "expiresAt") VALUES ('in', 'o', 1, ${new Date()}, ${new Date()}, ${new Date()})`;
      isInside();
      await gate;
      throw new Error("roll back");
    })
    .catch((err: Error) => err.message);
  await inside;
  const outside = plainInsert("out");
  // Give the plain write time to reach the connection (ungated it lands inside the open
  // transaction within a few ms). The assertion below holds whatever this wait is.
  await Promise.race([outside, new Promise((resolve) => setTimeout(resolve, 300))]);
  release();
  expect(await failing).toBe("roll back");
  await outside;
  expect((await db().workLease.findMany({ select: { name: true } })).map((r) => r.name)).toEqual(["out"]);
});
