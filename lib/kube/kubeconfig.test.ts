import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AppError } from "@/lib/errors";
import { k3sStyleKubeconfig } from "@/lib/testing/kubeconfig-fixtures";
import { sanitizeKubeconfig } from "./kubeconfig";

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("sanitizeKubeconfig", () => {
  it("accepts a k3s.yaml with embedded certificates and reports its facts", () => {
    const { facts, yaml } = sanitizeKubeconfig(
      k3sStyleKubeconfig({ server: "https://10.1.2.3:6443", daysValid: 10 }),
    );
    expect(facts.server).toBe("https://10.1.2.3:6443");
    expect(facts.authKind).toBe("client-cert");
    expect(facts.contextName).toBe("default");
    expect(facts.isCopiedK3sAddress).toBe(false);
    expect(facts.clientCertSubject).toContain("system:admin");
    const days = ((facts.clientCertNotAfter?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThan(11);
    const doc = parse(yaml);
    expect(doc.clusters).toHaveLength(1);
    expect(doc.users[0].user["client-key-data"]).toBeTruthy();
  });

  it("flags the node-local address of a copied k3s.yaml and accepts an override", () => {
    const text = k3sStyleKubeconfig();
    expect(sanitizeKubeconfig(text).facts.isCopiedK3sAddress).toBe(true);
    const fixed = sanitizeKubeconfig(text, { serverOverride: "https://store-12.vpn:6443" });
    expect(fixed.facts.isCopiedK3sAddress).toBe(false);
    expect(parse(fixed.yaml).clusters[0].cluster.server).toBe("https://store-12.vpn:6443");
  });

  it.each([
    [
      "user",
      "exec",
      { exec: { command: "sh", args: ["-c", "id"], apiVersion: "client.authentication.k8s.io/v1" } },
      "runs a command",
    ],
    ["user", "auth-provider", { "auth-provider": { name: "oidc" } }, "plugin"],
    ["user", "tokenFile", { tokenFile: "/etc/passwd" }, "reads a file"],
    ["user", "client-certificate", { "client-certificate": "/etc/ssl/private/x.pem" }, "reads a file"],
    ["user", "username", { username: "a", password: "b" }, "basic auth"],
    ["user", "as", { as: "system:admin" }, "impersonation"],
    ["cluster", "certificate-authority", { "certificate-authority": "/etc/ca.crt" }, "reads a file"],
    ["cluster", "proxy-url", { "proxy-url": "http://10.0.0.1:3128" }, "another host"],
    ["cluster", "insecure-skip-tls-verify", { "insecure-skip-tls-verify": true }, "certificate checks"],
    ["cluster", "some-path", { "some-path": "/x" }, "reads a file"],
  ])("refuses %s.%s and says why", (section, field, extra, reason) => {
    const text = k3sStyleKubeconfig({
      server: "https://10.0.0.5:6443",
      ...(section === "user" ? { extraUser: extra } : { extraCluster: extra }),
    });
    const err = rejection(() => sanitizeKubeconfig(text));
    expect(err.code).toBe("kubeconfig_rejected");
    const issue = err.issues.find((i) => i.path === `${section}.${field}`);
    expect(issue?.message).toContain(`${field} refused`);
    expect(issue?.message).toContain(reason);
  });

  it("allows insecure-skip-tls-verify: false, which changes nothing", () => {
    const text = k3sStyleKubeconfig({
      server: "https://10.0.0.5:6443",
      extraCluster: { "insecure-skip-tls-verify": false },
    });
    expect(sanitizeKubeconfig(text).facts.server).toBe("https://10.0.0.5:6443");
  });

  it("refuses plain http servers", () => {
    const err = rejection(() => sanitizeKubeconfig(k3sStyleKubeconfig({ server: "http://10.0.0.5:6443" })));
    expect(err.issues[0]?.path).toBe("cluster.server");
    expect(err.issues[0]?.message).toContain("https");
  });

  it("reports YAML syntax errors with a line number", () => {
    const err = rejection(() =>
      sanitizeKubeconfig("apiVersion: v1\nclusters:\n  - name: a\n   cluster: [\n"),
    );
    expect(err.message).toMatch(/not valid YAML \(line \d+/);
  });

  it("asks for a context when several exist and none is current", () => {
    const doc = parse(k3sStyleKubeconfig({ server: "https://10.0.0.5:6443" }));
    doc.contexts.push({ name: "other", context: { cluster: "default", user: "default" } });
    delete doc["current-context"];
    const text = JSON.stringify(doc);
    const err = rejection(() => sanitizeKubeconfig(text));
    expect(err.issues[0]).toEqual({ path: "context", message: "choose one of: default, other" });
    expect(sanitizeKubeconfig(text, { context: "other" }).facts.contextName).toBe("other");
  });

  it("accepts bearer tokens and rejects a user with no credentials", () => {
    expect(
      sanitizeKubeconfig(k3sStyleKubeconfig({ server: "https://10.0.0.5:6443", token: "abc" })).facts
        .authKind,
    ).toBe("token");
    const doc = parse(k3sStyleKubeconfig({ server: "https://10.0.0.5:6443" }));
    doc.users[0].user = {};
    expect(rejection(() => sanitizeKubeconfig(JSON.stringify(doc))).message).toContain("no credentials");
  });

  it("keeps only the chosen context's cluster and user", () => {
    const doc = parse(k3sStyleKubeconfig({ server: "https://10.0.0.5:6443" }));
    doc.clusters.push({ name: "prod", cluster: { server: "https://10.9.9.9:6443" } });
    doc.users.push({ name: "prod", user: { token: "other-secret" } });
    const out = sanitizeKubeconfig(JSON.stringify(doc)).yaml;
    expect(out).not.toContain("10.9.9.9");
    expect(out).not.toContain("other-secret");
  });
});

describe("hostile kubeconfigs", () => {
  const token = `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster:
    server: https://10.0.0.5:6443
contexts:
- name: c
  context: {cluster: k, user: u}
`;

  it("refuses YAML aliases by name instead of failing inside the parser", () => {
    const err = rejection(() =>
      sanitizeKubeconfig(`${token}users:
- name: u
  user: &creds
    token: abc
- name: v
  user: *creds
`),
    );
    expect(err.code).toBe("kubeconfig_malformed");
    expect(err.status).toBe(400);
    expect(err.issues[0]?.message).toMatch(/YAML alias \*creds .*not allowed/);
  });

  it("refuses merge keys, which could carry exec in from an anchor", () => {
    const err = rejection(() =>
      sanitizeKubeconfig(`${token}users:
- name: u
  user:
    <<: {exec: {command: /bin/sh}}
    token: abc
`),
    );
    expect(err.issues[0]?.message).toMatch(/merge key << \(under users.*user\) is not allowed/);
  });

  it("refuses an alias bomb quickly", () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
`;
    expect(rejection(() => sanitizeKubeconfig(`${token}users: []\n${bomb}`)).code).toBe(
      "kubeconfig_malformed",
    );
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "refuses the key %s in the user section (own keys only are allowed)",
    (key) => {
      const err = rejection(() =>
        sanitizeKubeconfig(`${token}users:
- name: u
  user:
    token: abc
    ${key}: {exec: {command: /bin/sh}}
`),
      );
      expect(err.issues.map((i) => `${i.path} ${i.message}`).join("\n")).toContain(key);
    },
  );

  it("refuses 10,000 contexts (too large) and 600 (too many), naming the problem briefly", () => {
    const file = (n: number) =>
      `apiVersion: v1
clusters:
- {name: k, cluster: {server: "https://10.0.0.5:6443"}}
users:
- {name: u, user: {token: abc}}
contexts:
${Array.from({ length: n }, (_, i) => `- {name: c${i}, context: {cluster: k, user: u}}`).join("\n")}
`;
    const huge = rejection(() => sanitizeKubeconfig(file(10_000)));
    expect(huge.issues[0]).toMatchObject({ path: "kubeconfig", message: "too large" });
    const many = rejection(() => sanitizeKubeconfig(file(600)));
    expect(many.issues[0]).toMatchObject({ path: "contexts", message: "at most 500 entries" });
    expect(many.message.length).toBeLessThan(500);
  });
});
