import { describe, expect, it } from "vitest";
import { notificationKey } from "./identity";
import {
  buildNotification,
  type NotificationAlert,
  sign,
  toSlack,
  verifySignature,
  ZERO_TIME,
} from "./payload";

function alert(over: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    status: "firing",
    fingerprint: "fp1",
    idempotencyKey: "fp1:2",
    labels: { alertname: "Board temperature", rule: "r1", severity: "warning", site: "wf-1", node: "t07" },
    annotations: { summary: "t07 at 85.0 °C (above 82 °C, set on this site)", description: "" },
    startsAt: "2026-12-01T12:00:00.000Z",
    endsAt: ZERO_TIME,
    generatorURL: "http://outpost.test/sites/wf-1?at=1",
    value: 85,
    unit: "°C",
    threshold: { celsius: 82, source: "set on site North Sea 1" },
    site: { id: "s", slug: "wf-1", name: "North Sea 1", kind: "wind-farm" },
    cluster: "turbine-07",
    node: "t07",
    severity: "warning",
    reportedLate: false,
    reportedLateMs: null,
    mutedBy: null,
    ...over,
  };
}

describe("notification body", () => {
  it("is a superset of Alertmanager's webhook v4", () => {
    const n = buildNotification({
      groupKey: '{}:{rule="r1", site="s"}',
      receiver: "ops",
      groupLabels: { alertname: "Board temperature", site: "wf-1" },
      externalURL: "http://outpost.test",
      idempotencyKey: "k",
      reason: "first",
      alerts: [
        alert(),
        alert({
          fingerprint: "fp2",
          status: "resolved",
          value: 70,
          labels: { ...alert().labels, node: "t08" },
        }),
      ],
    });
    expect(n).toMatchObject({
      version: "4",
      groupKey: '{}:{rule="r1", site="s"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "ops",
      externalURL: "http://outpost.test",
    });
    expect(n.commonLabels).toEqual({
      alertname: "Board temperature",
      rule: "r1",
      severity: "warning",
      site: "wf-1",
    });
    expect(n.alerts.map((a) => a.status)).toEqual(["firing", "resolved"]);
    for (const a of n.alerts)
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          "status",
          "labels",
          "annotations",
          "startsAt",
          "endsAt",
          "generatorURL",
          "fingerprint",
        ]),
      );
  });

  it("truncates past the limit and says how many", () => {
    const many = Array.from({ length: 205 }, (_, i) => alert({ fingerprint: `f${i}` }));
    const n = buildNotification({
      groupKey: "g",
      receiver: "r",
      groupLabels: {},
      externalURL: "",
      idempotencyKey: "k",
      reason: "first",
      alerts: many,
    });
    expect(n.alerts).toHaveLength(200);
    expect(n.truncatedAlerts).toBe(5);
  });

  it("a Slack body reads as one line per alert", () => {
    const n = buildNotification({
      groupKey: "g",
      receiver: "r",
      groupLabels: { alertname: "Board temperature" },
      externalURL: "",
      idempotencyKey: "k",
      reason: "late",
      alerts: [alert()],
    });
    const slack = toSlack(n);
    expect(slack.text).toContain("Firing (reported late): Board temperature at North Sea 1");
    expect(slack.text).toContain("<http://outpost.test/sites/wf-1?at=1|t07> t07 at 85.0 °C");
  });
});

describe("signature", () => {
  const body = JSON.stringify({ hello: "world" });
  it("verifies a genuine, recent signature only", () => {
    const header = sign("secret", body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("secret", body, header, 1_700_000_010)).toBe(true);
    expect(verifySignature("other", body, header, 1_700_000_010)).toBe(false);
    expect(verifySignature("secret", `${body} `, header, 1_700_000_010)).toBe(false);
    expect(verifySignature("secret", body, header, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature("secret", body, null, 1_700_000_000)).toBe(false);
    expect(verifySignature("secret", body, "t=1700000000,v1=zz", 1_700_000_000)).toBe(false);
  });
});

describe("idempotency key", () => {
  it("is the same for the same change, different for another change or a repeat", () => {
    const f1 = { fingerprint: "f1", seq: 2, status: "firing" };
    const f2 = { fingerprint: "f2", seq: 1, status: "firing" };
    const a = [f1, f2];
    const k = notificationKey("cp", "g", a, 1);
    expect(notificationKey("cp", "g", [...a].reverse(), 1)).toBe(k);
    expect(notificationKey("cp", "g", [{ ...f1, seq: 4, status: "resolved" }, f2], 1)).not.toBe(k);
    expect(notificationKey("cp", "g", a, 2)).not.toBe(k);
    expect(notificationKey("cp2", "g", a, 1)).not.toBe(k);
  });
});
