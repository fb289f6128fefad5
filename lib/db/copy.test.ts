// database: sqlite only — the source of this copy is SQLite by definition.
// `migrate-to-postgres`: every row of every model arrives, unchanged, and the
// secrets stay encrypted (readable with the same key, never in plain text).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToPostgres } from "@/lib/cli/migrate-to-postgres";
import { env } from "@/lib/env";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import { type PostgresInstance, startPostgres } from "@/lib/testing/postgres";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { enqueue } from "@/lib/work/jobs";
import { acquireLease } from "@/lib/work/lease";
import { createClient, db } from "./client";
import { copyOrder } from "./copy";
import { parseSchema } from "./schema-model";

const models = parseSchema(
  fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8"),
);
let cleanup: () => Promise<void>;
let server: PostgresInstance;
const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: very-secret-token\n";
const PASSWORD = "influx-password-123";

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  server = await startPostgres();
  const now = new Date("2026-12-01T10:00:00.123Z");
  const ds = await db().dataSource.create({
    data: {
      name: "influx",
      url: "http://127.0.0.1:8086",
      database: "telegraf",
      authKind: "basic",
      username: "u",
      secretEnc: encryptSecret(PASSWORD),
      isDefault: true,
    },
  });
  for (let i = 0; i < 7; i++) {
    const site = await db().site.create({
      data: {
        slug: `s${i}`,
        name: `Site ${i}`,
        kind: "store",
        latitude: 52.5 + i / 100,
        longitude: 13.4,
        dataSourceId: i % 2 ? ds.id : null,
        labels: '{"region":"eu"}',
        maxSilenceMinutes: i,
      },
    });
    const cluster = await db().cluster.create({
      data: {
        siteId: site.id,
        name: "k3s",
        server: `https://10.0.0.${i}:6443`,
        contextName: "default",
        authKind: "token",
        kubeconfigEnc: encryptSecret(KUBECONFIG),
        certNotAfter: now,
      },
    });
    await db().clusterStatus.create({
      data: {
        clusterId: cluster.id,
        lastAttemptAt: now,
        lastSuccessAt: i % 3 ? now : null,
        consecutiveFailures: i,
        summary: '{"nodes":3}',
        updatedAt: now,
      },
    });
    await db().contactEvent.create({
      data: {
        clusterId: cluster.id,
        at: now,
        kind: i % 2 ? "up" : "down",
        errorClass: i % 2 ? null : "timeout",
      },
    });
  }
  const user = await db().user.create({
    data: {
      username: "admin",
      usernameKey: "admin",
      passwordHash: "scrypt$x",
      role: "admin",
      isDisabled: false,
    },
  });
  await db().session.create({ data: { id: "sess-hash", userId: user.id, expiresAt: now } });
  await db().apiToken.create({
    data: { name: "ci", userId: user.id, tokenHash: "th", prefix: "op_1", role: "viewer" },
  });
  for (let i = 0; i < 1_234; i++) {
    await db().auditEvent.create({
      data: {
        actorName: "admin",
        action: "site.update",
        targetType: "site",
        targetId: `s${i % 7}`,
        result: "ok",
        at: new Date(now.getTime() + i),
      },
    });
  }
  await enqueue(db(), { queue: "hooks", key: "k1", payload: { a: 1 } });
  await acquireLease("retention", "old-instance", 1_000);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await cleanup();
});

async function rowsOf(client: unknown, model: string): Promise<unknown[]> {
  const pk = models.find((m) => m.name === model)?.fields.find((f) => f.isId)?.name ?? "id";
  const delegate = (client as Record<string, { findMany(a: unknown): Promise<unknown[]> }>)[
    model.charAt(0).toLowerCase() + model.slice(1)
  ];
  return (await delegate?.findMany({ orderBy: { [pk]: "asc" } })) ?? [];
}

describe("migrate-to-postgres", () => {
  it("orders parents before children", () => {
    const order = copyOrder(models).map((m) => m.name);
    for (const m of models) {
      for (const fk of m.foreignKeys)
        expect(order.indexOf(fk.table), `${fk.table} before ${m.name}`).toBeLessThan(order.indexOf(m.name));
    }
  });

  it("copies every row of every model unchanged; secrets stay encrypted and readable with the same key", async () => {
    const target = await server.createDatabase("move");
    const lines: string[] = [];
    expect(
      await migrateToPostgres({ from: env().databaseUrl, to: target, write: (l) => lines.push(l) }),
    ).toBe(0);
    expect(lines.join("\n")).toMatch(/AuditEvent\s+1234 rows/);
    const pg = createClient(target);
    try {
      for (const m of models) {
        const [from, to] = await Promise.all([rowsOf(db(), m.name), rowsOf(pg, m.name)]);
        expect(to, m.name).toEqual(from);
      }
      expect((await rowsOf(pg, "AuditEvent")).length).toBe(1_234);
      const cluster = await pg.cluster.findFirstOrThrow();
      expect(cluster.kubeconfigEnc).not.toContain("very-secret-token");
      expect(decryptSecret(cluster.kubeconfigEnc)).toBe(KUBECONFIG);
      const ds = await pg.dataSource.findFirstOrThrow();
      expect(decryptSecret(ds.secretEnc ?? "")).toBe(PASSWORD);
      // the copy is a working database: the invariants hold there too
      await expect(
        pg.dataSource.create({ data: { name: "second", url: "http://x", database: "d", isDefault: true } }),
      ).rejects.toThrow();
    } finally {
      await pg.$disconnect();
    }
    // a second run would duplicate: refused
    await expect(migrateToPostgres({ from: env().databaseUrl, to: target, write: () => {} })).rejects.toThrow(
      /already has rows/,
    );
  });

  it("refuses while an Outpost process still uses the source, unless forced", async () => {
    await db().workerInstance.create({
      data: {
        id: "live",
        hostname: "h",
        pid: 1,
        role: "web+worker",
        startedAt: new Date(),
        heartbeatAt: new Date(),
      },
    });
    const lines: string[] = [];
    const target = await server.createDatabase("busy");
    expect(
      await migrateToPostgres({ from: env().databaseUrl, to: target, write: (l) => lines.push(l) }),
    ).toBe(1);
    expect(lines[0]).toMatch(/stop them first/);
    expect(
      await migrateToPostgres({ from: env().databaseUrl, to: target, force: true, write: () => {} }),
    ).toBe(0);
    await db().workerInstance.delete({ where: { id: "live" } });
  });
});
