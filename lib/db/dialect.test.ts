// What must behave the same on SQLite and PostgreSQL (this file runs on both):
// case-insensitive search, database-enforced invariants, times written by raw SQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createSite, listSites } from "@/lib/fleet/sites";
import { createDataSource } from "@/lib/telemetry/data-sources";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { isUniqueViolation } from "./errors";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" })).cleanup;
});
afterAll(() => cleanup());

describe("on every database", () => {
  it("site search ignores case", async () => {
    await createSite({ name: "Berlin Mitte Store", kind: "store" });
    await createSite({ name: "Hamburg Wind", kind: "wind-farm" });
    const names = async (q: string) => (await listSites({ q })).items.map((s) => s.name);
    expect(await names("berlin")).toEqual(["Berlin Mitte Store"]);
    // a space is not in the slug: only the name search can match this, whatever the case
    expect(await names("MITTE STORE")).toEqual(["Berlin Mitte Store"]);
    expect(await names("hamburg-w")).toEqual(["Hamburg Wind"]); // the slug
  });

  it("the database itself refuses a second default data source", async () => {
    const data = { url: "http://127.0.0.1:1", database: "d" };
    await db().dataSource.create({ data: { ...data, name: "first", isDefault: true } });
    const err = await db()
      .dataSource.create({ data: { ...data, name: "second", isDefault: true } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err, "DataSource_one_default_key", ["isDefault"])).toBe(true);
    expect(isUniqueViolation(err, "DataSource_name_key", ["name"])).toBe(false);
    // any number of non-defaults is fine
    await db().dataSource.create({ data: { ...data, name: "third", isDefault: false } });
    await db().dataSource.create({ data: { ...data, name: "fourth", isDefault: false } });
    await db().dataSource.deleteMany();
  });

  it("racing 'make this the default' requests leave exactly one default, the loser told to retry", async () => {
    const results = await Promise.allSettled(
      ["a", "b", "c", "d"].map((name) =>
        createDataSource({ name, url: "http://127.0.0.1:8086", database: "telegraf", isDefault: true }),
      ),
    );
    for (const r of results) {
      if (r.status === "rejected") {
        expect(r.reason).toBeInstanceOf(AppError);
        expect((r.reason as AppError).code).toBe("conflict");
      }
    }
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    expect(await db().dataSource.count({ where: { isDefault: true } })).toBe(1);
  });

  it("times written by raw SQL read back unchanged through Prisma", async () => {
    const at = new Date("2026-12-01T10:11:12.345Z");
    await db().$executeRaw`
      INSERT INTO "WorkLease" ("name", "owner", "epoch", "acquiredAt", "renewedAt", "expiresAt")
      VALUES ('time', 'o', 1, ${at}, ${at}, ${at})`;
    const row = await db().workLease.findUniqueOrThrow({ where: { name: "time" } });
    expect(row.expiresAt.toISOString()).toBe(at.toISOString());
    const later = await db().workLease.count({ where: { expiresAt: { gt: new Date(at.getTime() - 1) } } });
    expect(later).toBe(1);
    const [raw] = await db().$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n FROM "WorkLease" WHERE "expiresAt" > ${new Date(at.getTime() - 1)} AND "expiresAt" <= ${at}`;
    expect(Number(raw?.n)).toBe(1);
  });
});
