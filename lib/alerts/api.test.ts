// Silences and acknowledgements through their routes: who may, what is refused,
// and that both leave an audit entry naming the operator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ack from "@/app/api/alerts/[id]/ack/route";
import * as silence from "@/app/api/alerts/silences/[id]/route";
import * as silences from "@/app/api/alerts/silences/route";
import * as audit from "@/app/api/audit/route";
import * as login from "@/app/api/auth/login/route";
import * as users from "@/app/api/users/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";

const ADMIN_PASSWORD = "admin-password-for-tests";
let cleanup: () => Promise<void>;
let admin: string;
let operator: string;
let viewer: string;

async function signIn(username: string, role: string): Promise<string> {
  const password = `${username}-password-123`;
  await call(users.POST, "POST", { cookie: admin, body: { username, password, role } });
  return sessionCookieFrom(await call(login.POST, "POST", { body: { username, password } }));
}

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD })).cleanup;
  await ensureFirstAdmin();
  admin = sessionCookieFrom(
    await call(login.POST, "POST", { body: { username: "admin", password: ADMIN_PASSWORD } }),
  );
  operator = await signIn("olga", "operator");
  viewer = await signIn("vic", "viewer");
});

afterAll(async () => {
  await cleanup?.();
});

async function auditActions(): Promise<string[]> {
  const log = await call(audit.GET, "GET", { cookie: admin });
  return (log.json.items as { action: string; actorName: string }[]).map((e) => `${e.action}:${e.actorName}`);
}

/** A stored alert instance in `phase`, as the evaluator would have written it. */
async function storedAlert(phase: "firing" | "pending", node: string): Promise<string> {
  const site = await db().site.upsert({
    where: { slug: "store-ack" },
    create: { slug: "store-ack", name: "Ack store", kind: "store" },
    update: {},
  });
  const rule = await db().alertRule.create({
    data: { name: `Board temperature ${node}`, kind: "temperature", config: "{}" },
  });
  const row = await db().alertInstance.create({
    data: {
      ruleId: rule.id,
      subject: `${site.id}/${node}`,
      siteId: site.id,
      node,
      fingerprint: `fp-${node}`,
      phase,
      state: JSON.stringify({ phase, seq: 2 }),
      value: 86,
      thresholdCelsius: 80,
      lastEvaluatedAt: new Date(),
    },
  });
  return row.id;
}

describe("silences and acknowledgements (routes)", () => {
  it("an operator silences by matchers and expires the silence; both are audited", async () => {
    const body = {
      matchers: [{ name: "site", value: "store-ack" }],
      durationMinutes: 60,
      comment: "board swap",
    };
    expect((await call(silences.POST, "POST", { cookie: viewer, body })).status).toBe(403);
    const made = await call(silences.POST, "POST", { cookie: operator, body });
    expect(made.status).toBe(200);
    expect(made.json.silence).toMatchObject({
      matchers: [{ name: "site", op: "=", value: "store-ack" }],
      comment: "board swap",
      createdBy: "olga",
      isActive: true,
    });
    const listed = await call(silences.GET, "GET", { cookie: viewer });
    expect(listed.json.silences.map((s: { id: string }) => s.id)).toContain(made.json.silence.id);

    const ended = await call(silence.DELETE, "DELETE", {
      cookie: operator,
      params: { id: made.json.silence.id },
    });
    expect(ended.status).toBe(200);
    expect(ended.json.silence).toMatchObject({ isActive: false, endedBy: "olga" });
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["alert-silence.create:olga", "alert-silence.expire:olga"]),
    );
  });

  it("refuses a silence with an unknown matcher, no reason and no end, naming each field", async () => {
    const bad = await call(silences.POST, "POST", {
      cookie: operator,
      body: { matchers: [{ name: "colour", value: "red" }], comment: " " },
    });
    expect(bad.status).toBe(422);
    const paths = (bad.json.error.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(["comment", "endsAt", "matchers.0.name"]);
  });

  it("acknowledging a firing alert records who and when; a pending one cannot be", async () => {
    const firing = await storedAlert("firing", "nuc-01");
    expect((await call(ack.POST, "POST", { cookie: viewer, params: { id: firing }, body: {} })).status).toBe(
      403,
    );
    const done = await call(ack.POST, "POST", {
      cookie: operator,
      params: { id: firing },
      body: { comment: "on my way" },
    });
    expect(done.status).toBe(200);
    expect(done.json.ack).toMatchObject({ id: firing, ackBy: "olga", comment: "on my way" });
    const row = await db().alertInstance.findUniqueOrThrow({ where: { id: firing } });
    expect(row.ackByName).toBe("olga");
    expect(row.ackAt).not.toBeNull();
    const history = await db().alertEvent.findMany({ where: { instanceId: firing } });
    expect(history.map((e) => `${e.kind}:${e.actorName}`)).toEqual(["acknowledged:olga"]);

    const pending = await storedAlert("pending", "nuc-02");
    const refused = await call(ack.POST, "POST", { cookie: operator, params: { id: pending }, body: {} });
    expect(refused.status).toBe(409);
    expect(await auditActions()).toContain("alert.acknowledge:olga");
  });
});
