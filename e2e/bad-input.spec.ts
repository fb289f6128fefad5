import http from "node:http";
import { parse, stringify } from "yaml";
import { expect, readKubeconfig, test } from "./fixtures";

// The bad-input suite: hostile and broken requests over real HTTP against the
// running app. Every case must answer a 4xx (never a 500) whose error names the
// field, or the part of the request, that is wrong, and must store nothing: the
// counts of sites, clusters, users, tokens and data sources are the same after it.

interface Case {
  name: string;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** an object is sent as JSON; a string or bytes as they are */
  body?: unknown;
  contentType?: string | null;
  status: number;
  /** the issue path, or a word of the message, that names what is wrong */
  names: string;
}

interface Answer {
  status: number;
  error?: { code: string; message: string; issues: { path: string; message: string }[] };
}

const LONG = (n: number, c = "a") => c.repeat(n);

let base = "";
let cookie = "";

async function send(c: Pick<Case, "method" | "path" | "body" | "contentType">): Promise<Answer> {
  const headers: Record<string, string> = { cookie, origin: base };
  // Bytes, so fetch adds no content type of its own.
  let bytes: Uint8Array | undefined;
  if (c.body instanceof Uint8Array) bytes = c.body;
  else if (typeof c.body === "string") bytes = new TextEncoder().encode(c.body);
  else if (c.body !== undefined) bytes = new TextEncoder().encode(JSON.stringify(c.body));
  const body = bytes ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined;
  const type =
    c.contentType === undefined ? (c.body === undefined ? null : "application/json") : c.contentType;
  if (type) headers["content-type"] = type;
  const res = await fetch(`${base}${c.path}`, {
    method: c.method ?? (c.body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  const text = await res.text();
  let json: { error?: Answer["error"] } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: asserted below
  }
  return { status: res.status, error: json.error };
}

async function counts(): Promise<Record<string, number>> {
  const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).json();
  const [sites, clusters, users, tokens, sources] = await Promise.all([
    get("/api/sites?limit=1"),
    get("/api/clusters"),
    get("/api/users"),
    get("/api/tokens"),
    get("/api/data-sources"),
  ]);
  return {
    sites: sites.total,
    clusters: clusters.items.length,
    users: users.items.length,
    tokens: tokens.items.length,
    dataSources: sources.items.length,
  };
}

async function check(c: Case): Promise<void> {
  const before = await counts();
  const answer = await send(c);
  expect(answer.status, `${c.name}: status`).toBe(c.status);
  expect(answer.error, `${c.name}: a JSON error body`).toBeDefined();
  const where = [
    ...(answer.error?.issues ?? []).map((i) => `${i.path}: ${i.message}`),
    answer.error?.message,
  ];
  expect(
    where.some((w) => w?.toLowerCase().includes(c.names.toLowerCase())),
    `${c.name}: "${c.names}" named in ${JSON.stringify(where)}`,
  ).toBe(true);
  expect(await counts(), `${c.name}: nothing stored`).toEqual(before);
}

async function run(cases: Case[]): Promise<void> {
  for (const c of cases) await test.step(c.name, () => check(c));
}

test.describe("bad input", () => {
  test.describe.configure({ mode: "serial" });

  let siteId = "";
  let kubeconfig = "";
  const site = (over: Record<string, unknown>) => ({ name: "Bad input store", kind: "store", ...over });

  test.beforeAll(async () => {
    const { e2eState } = await import("./state");
    const e2e = e2eState();
    base = e2e.baseUrl;
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ username: e2e.admin.username, password: e2e.admin.password }),
    });
    cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    kubeconfig = readKubeconfig(e2e.simulator.okKubeconfigPath);
    const created = await fetch(`${base}/api/sites`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, cookie },
      body: JSON.stringify(site({ name: `Bad input target ${Date.now()}` })),
    });
    siteId = ((await created.json()) as { site: { id: string } }).site.id;
  });

  test("transport: JSON, content types and sizes", async () => {
    await run([
      { name: "malformed JSON", path: "/api/sites", body: "{nope", status: 400, names: "not valid JSON" },
      { name: "JSON array for an object", path: "/api/sites", body: [], status: 422, names: "request body" },
      { name: "JSON null", path: "/api/sites", body: "null", status: 422, names: "request body" },
      {
        name: "text/plain",
        path: "/api/sites",
        body: "{}",
        contentType: "text/plain",
        status: 415,
        names: "application/json",
      },
      {
        name: "no content type",
        path: "/api/sites",
        body: "{}",
        contentType: null,
        status: 415,
        names: "application/json",
      },
      {
        name: "form encoded",
        path: "/api/sites",
        body: "name=x&kind=store",
        contentType: "application/x-www-form-urlencoded",
        status: 415,
        names: "application/json",
      },
      {
        name: "multipart",
        path: "/api/users",
        body: "--x\r\n\r\n--x--",
        contentType: "multipart/form-data; boundary=x",
        status: 415,
        names: "application/json",
      },
      {
        name: "invalid UTF-8",
        path: "/api/sites",
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        status: 400,
        names: "UTF-8",
      },
      {
        name: "5 MiB body",
        path: "/api/sites",
        body: JSON.stringify(site({ labels: { a: LONG(5 * 1024 * 1024) } })),
        status: 413,
        names: "larger than",
      },
      {
        name: "deep nesting",
        path: "/api/sites",
        body: `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
        status: 422,
        names: "request body",
      },
      {
        name: "login as text/plain (login CSRF)",
        path: "/api/auth/login",
        body: '{"username":"admin","password":"x"}',
        contentType: "text/plain",
        status: 415,
        names: "application/json",
      },
    ]);
  });

  test("transport: a chunked body without Content-Length is cut off at the limit", async () => {
    const before = await counts();
    const url = new URL(`${base}/api/sites`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            cookie,
            origin: base,
            "content-type": "application/json",
            "transfer-encoding": "chunked",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", (e) =>
        e.message.includes("EPIPE") || e.message.includes("ECONNRESET") ? undefined : reject(e),
      );
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        // 16 MiB on offer; the server must answer long before it has read them all.
        while (sent < 64) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      req.write('{"name":"chunked","kind":"store","pad":"');
      pump();
    });
    expect(status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  test("sites: names, labels and fields", async () => {
    const post = (name: string, body: unknown, names: string, status = 422): Case => ({
      name,
      path: "/api/sites",
      body,
      status,
      names,
    });
    await run([
      post("NUL in a name", site({ name: "Store\u00001" }), "U+0000"),
      post("right-to-left override in a name", site({ name: "Store \u202Egpj.exe" }), "U+202E"),
      post("zero-width space in a name", site({ name: "Sto\u200Bre" }), "U+200B"),
      post("newline in a name", site({ name: "Store\nTwo" }), "name"),
      post("empty name", site({ name: "" }), "name"),
      post("blank name", site({ name: "   " }), "name"),
      post("name too long", site({ name: LONG(101) }), "name"),
      post("name is a number", site({ name: 42 }), "name"),
      post("unknown kind", site({ kind: "boat" }), "kind"),
      post("kind as SQL", site({ kind: "store' OR '1'='1" }), "kind"),
      post("latitude out of range", site({ latitude: 91, longitude: 0 }), "latitude"),
      post("latitude without longitude", site({ latitude: 40 }), "longitude"),
      post("latitude as text", site({ latitude: "40", longitude: 3 }), "latitude"),
      post("bad label key", site({ labels: { "bad key": "x" } }), "labels"),
      post("bidi in a label value", site({ labels: { region: "eu\u202Esouth" } }), "labels.region"),
      post("label value too long", site({ labels: { region: LONG(254) } }), "labels.region"),
      post(
        "65 labels",
        site({ labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) }),
        "labels",
      ),
      post("labels as a list", site({ labels: ["a"] }), "labels"),
      post("threshold out of range", site({ tempWarnCelsius: 500 }), "tempWarnCelsius"),
      post("threshold as text", site({ tempWarnCelsius: "NaN" }), "tempWarnCelsius"),
      post("unknown data source", site({ dataSourceId: "no-such-source" }), "dataSourceId"),
      post(
        "offline window 25:00",
        site({ expectedOfflineWindows: [{ start: "25:00", end: "06:00" }] }),
        "expectedOfflineWindows.0.start",
      ),
      post(
        "offline window on Mars",
        site({ expectedOfflineWindows: [{ start: "22:00", end: "06:00", timeZone: "Mars/Base" }] }),
        "expectedOfflineWindows.0.timeZone",
      ),
      post(
        "13 offline windows",
        site({
          expectedOfflineWindows: Array.from({ length: 13 }, () => ({ start: "22:00", end: "06:00" })),
        }),
        "expectedOfflineWindows",
      ),
      post("slug with spaces", site({ slug: "Bad Slug" }), "slug"),
      post("slug as SQL", site({ slug: 'x\'; DROP TABLE "Site"; --' }), "slug"),
      post("unknown contact mode", site({ contactMode: "sometimes" }), "contactMode"),
      post("negative silence", site({ maxSilenceMinutes: -1 }), "maxSilenceMinutes"),
      {
        name: "update with a bidi name",
        method: "PUT",
        path: `/api/sites/${siteId}`,
        body: site({ name: "a\u2066b" }),
        status: 422,
        names: "U+2066",
      },
      {
        name: "update an unknown site",
        method: "PUT",
        path: "/api/sites/no-such-site",
        body: site({}),
        status: 404,
        names: "site",
      },
      { name: "id too long", path: `/api/sites/${LONG(65)}`, status: 422, names: "id" },
      {
        name: "delete an unknown site",
        method: "DELETE",
        path: "/api/sites/no-such-site",
        status: 404,
        names: "site",
      },
    ]);
  });

  test("clusters: hostile kubeconfigs and SSRF addresses", async () => {
    const doc = parse(kubeconfig) as {
      clusters: { cluster: Record<string, unknown> }[];
      users: { user: Record<string, unknown> }[];
    };
    const withUser = (extra: Record<string, unknown>) => {
      const d = structuredClone(doc);
      Object.assign(d.users[0]?.user ?? {}, extra);
      return stringify(d);
    };
    const withCluster = (extra: Record<string, unknown>) => {
      const d = structuredClone(doc);
      Object.assign(d.clusters[0]?.cluster ?? {}, extra);
      return stringify(d);
    };
    // 422 for a kubeconfig Outpost refuses; 400 for one that is not a well-formed document.
    const register = (
      name: string,
      kc: string,
      names: string,
      over: Record<string, unknown> = {},
      status = 422,
    ): Case => ({
      name,
      path: "/api/clusters",
      body: { siteId, name: "bad-input", kubeconfig: kc, ...over },
      status,
      names,
    });
    const contexts = (n: number) =>
      `apiVersion: v1\nclusters:\n- {name: k, cluster: {server: "https://10.0.0.5:6443"}}\nusers:\n- {name: u, user: {token: abc}}\ncontexts:\n${Array.from({ length: n }, (_, i) => `- {name: c${i}, context: {cluster: k, user: u}}`).join("\n")}\n`;
    const server = (url: string, names = "server") =>
      register(`server ${url}`, withCluster({ server: url }), names);
    await run([
      register("empty kubeconfig", "", "kubeconfig"),
      register("not YAML", "{{{: :", "kubeconfig", {}, 400),
      register(
        "exec user",
        withUser({ exec: { command: "/bin/sh", apiVersion: "client.authentication.k8s.io/v1" } }),
        "user.exec",
      ),
      register("auth-provider", withUser({ "auth-provider": { name: "gcp" } }), "user.auth-provider"),
      register("token file", withUser({ tokenFile: "/etc/shadow" }), "user.tokenFile"),
      register(
        "client certificate path",
        withUser({ "client-certificate": "/etc/ssl/key.pem" }),
        "user.client-certificate",
      ),
      register("impersonation", withUser({ as: "system:admin" }), "user.as"),
      register("constructor key", withUser({ constructor: { exec: 1 } }), "user.constructor"),
      register(
        "__proto__ key",
        kubeconfig.replace(/(\n\s+)(client-certificate-data:)/, "$1__proto__: {exec: {command: sh}}$1$2"),
        "__proto__",
        {},
        400,
      ),
      register(
        "skip TLS verify",
        withCluster({ "insecure-skip-tls-verify": true }),
        "cluster.insecure-skip-tls-verify",
      ),
      register("proxy-url", withCluster({ "proxy-url": "http://10.0.0.1:3128" }), "cluster.proxy-url"),
      register("YAML alias", `${kubeconfig}\nextra: &x {a: 1}\nmore: *x\n`, "alias", {}, 400),
      register(
        "YAML merge key",
        kubeconfig.replace(/(\n\s+)(client-certificate-data:)/, "$1<<: {exec: {command: sh}}$1$2"),
        "merge key",
        {},
        400,
      ),
      register("10,000 contexts", contexts(10_000), "kubeconfig"),
      register("600 contexts", contexts(600), "contexts"),
      register("unknown context", kubeconfig, "context", { context: "nope" }),
      register(
        "certificate that is not base64 PEM",
        withUser({ "client-certificate-data": "bm90IGEgY2VydA==" }),
        "user.client-certificate-data",
      ),
      server("http://10.0.0.5:6443"),
      server("https://admin:secret@10.0.0.5:6443"),
      server("https://169.254.169.254/"),
      server("https://[::ffff:169.254.169.254]/"),
      server("https://[::ffff:0:0]:6443/"),
      server("https://0/"),
      server("https://0x0.0/"),
      server("https://[64:ff9b::a9fe:a9fe]/"),
      server("https://168.63.129.16/"),
      server("https://[fd20:ce::254]/"),
      server("https://metadata.google.internal/"),
      register("cluster name with spaces", kubeconfig, "name", { name: "Bad Name" }),
      register("cluster name as SQL", kubeconfig, "name", { name: 'k\'; DROP TABLE "Cluster"; --' }),
      register("no site", kubeconfig, "siteId", { siteId: "" }),
      {
        name: "test: exec user",
        path: "/api/clusters/test",
        body: { kubeconfig: withUser({ exec: { command: "id" } }) },
        status: 422,
        names: "user.exec",
      },
      {
        name: "test: metadata server",
        path: "/api/clusters/test",
        body: { kubeconfig: withCluster({ server: "https://[fe80::1]/" }) },
        status: 422,
        names: "server",
      },
      {
        name: "import: nothing",
        path: "/api/clusters/import",
        body: { items: [] },
        status: 422,
        names: "items",
      },
      {
        name: "import: testConnections as text",
        path: "/api/clusters/import",
        body: { items: [{}], testConnections: "yes" },
        status: 422,
        names: "testConnections",
      },
      {
        name: "import: 2,001 items",
        path: "/api/clusters/import",
        body: { items: Array.from({ length: 2_001 }, () => ({})) },
        status: 422,
        names: "items",
      },
      { name: "unknown cluster", path: "/api/clusters/no-such-cluster", status: 404, names: "cluster" },
    ]);
  });

  test("users, tokens, passwords and sign-in", async () => {
    const create = (name: string, body: Record<string, unknown>, names: string, status = 422): Case => ({
      name,
      path: "/api/users",
      body: { username: "bad-input-user", password: "long-enough-password", role: "viewer", ...body },
      status,
      names,
    });
    const token = (name: string, body: Record<string, unknown>, names: string): Case => ({
      name,
      path: "/api/tokens",
      body: { name: "ci", role: "viewer", ...body },
      status: 422,
      names,
    });
    await run([
      create("username with a space", { username: "bad user" }, "username"),
      create("username with NUL", { username: "bad\u0000user" }, "username"),
      create("username as SQL", { username: "x' OR '1'='1" }, "username"),
      create("username differing only in case from admin", { username: "ADMIN" }, "username", 409),
      create("username of one character", { username: "a" }, "username"),
      create("username too long", { username: LONG(65) }, "username"),
      create("short password", { password: "short" }, "password"),
      create("unknown role", { role: "root" }, "role"),
      {
        name: "user update with nothing",
        method: "PATCH",
        path: "/api/users/no-such-user",
        body: {},
        status: 422,
        names: "nothing to change",
      },
      {
        name: "user update to an unknown role",
        method: "PATCH",
        path: "/api/users/no-such-user",
        body: { role: "god" },
        status: 422,
        names: "role",
      },
      {
        name: "update an unknown user",
        method: "PATCH",
        path: "/api/users/no-such-user",
        body: { role: "viewer" },
        status: 404,
        names: "user",
      },
      token("bidi in a token name", { name: "ci\u202E" }, "U+202E"),
      token("empty token name", { name: "" }, "name"),
      token("unknown token role", { role: "superadmin" }, "role"),
      token("token for 0 days", { expiresInDays: 0 }, "expiresInDays"),
      token("token for 99,999 days", { expiresInDays: 99_999 }, "expiresInDays"),
      {
        name: "revoke an unknown token",
        method: "DELETE",
        path: "/api/tokens/no-such-token",
        status: 404,
        names: "token",
      },
      {
        name: "sign-in without a username",
        path: "/api/auth/login",
        body: { username: "", password: "x" },
        status: 422,
        names: "username",
      },
      {
        name: "password change too short",
        path: "/api/auth/password",
        body: { currentPassword: "x", newPassword: "short" },
        status: 422,
        names: "newPassword",
      },
      {
        name: "password change with the wrong current one",
        path: "/api/auth/password",
        body: { currentPassword: "not-the-password", newPassword: "a-long-new-password" },
        status: 422,
        names: "currentPassword",
      },
    ]);
  });

  test("data sources: URLs, names and mappings", async () => {
    const source = (name: string, body: Record<string, unknown>, names: string): Case => ({
      name,
      path: "/api/data-sources",
      body: { name: "Bad input source", url: "http://10.0.0.9:8086", database: "telegraf", ...body },
      status: 422,
      names,
    });
    await run([
      source("ftp URL", { url: "ftp://influx.example/" }, "url"),
      source("credentials in the URL", { url: "http://admin:secret@10.0.0.9:8086" }, "url"),
      source("metadata URL", { url: "http://169.254.169.254/" }, "url"),
      source("mapped metadata URL", { url: "http://[::ffff:169.254.169.254]/" }, "url"),
      source("NAT64 metadata URL", { url: "http://[64:ff9b::a9fe:a9fe]/" }, "url"),
      source("bidi in a name", { name: "Influx\u202E" }, "U+202E"),
      source("newline in the database", { database: "tele\ngraf" }, "database"),
      source("unknown auth kind", { authKind: "kerberos" }, "authKind"),
      source("basic auth without a username", { authKind: "basic", secret: "pw" }, "username"),
      source("timeout of 5 ms", { timeoutMs: 5 }, "timeoutMs"),
      source(
        "InfluxQL in a mapping field",
        // Quotes and semicolons are escaped as literals; a line break cannot be, so it is refused.
        { mapping: { temperature: { field: 'temp"\n; DROP DATABASE telegraf; --' } } },
        "mapping.temperature.field",
      ),
      source("unknown property", { adminOverride: true }, "adminOverride"),
      {
        name: "test: metadata URL",
        path: "/api/data-sources/test",
        body: { config: { name: "t", url: "http://[fd00:ec2::254]/", database: "telegraf" } },
        status: 422,
        names: "url",
      },
      {
        name: "unknown data source",
        path: "/api/data-sources/no-such-source",
        status: 404,
        names: "data source",
      },
    ]);
  });

  test("queries: unknown parameters, ranges, limits and injection", async () => {
    const { e2eState } = await import("./state");
    const farm = e2eState().telemetry.windFarm;
    const get = (path: string, names: string, status = 422): Case => ({
      name: `GET ${path.slice(0, 70)}`,
      path,
      status,
      names,
    });
    await run([
      get("/api/sites?limit=0", "limit"),
      get("/api/sites?limit=abc", "limit"),
      get("/api/sites?cursor=garbage", "cursor"),
      get("/api/sites?kind=boat", "kind"),
      get(`/api/sites?q=${LONG(101)}`, "q"),
      get("/api/sites?foo=1", "foo", 400),
      get("/api/fleet/health?stauts=degraded", "stauts", 400),
      get("/api/fleet/health?status=broken", "status"),
      get("/api/fleet/health?limit=501", "limit"),
      get(`/api/fleet/health?label=${LONG(301)}`, "label"),
      get("/api/fleet/map?x=1", "x", 400),
      get(`/api/telemetry/site/${farm}?range=2h`, "range"),
      get(`/api/telemetry/site/${farm}?range=${encodeURIComponent('1h"; DROP DATABASE telegraf')}`, "range"),
      get(
        `/api/telemetry/site/${farm}?range=custom&from=${encodeURIComponent("hello 1")}&to=2025-01-15T12:00:00Z`,
        "from",
      ),
      get(`/api/telemetry/site/${farm}?range=custom&from=2025-02-30&to=2025-03-02`, "from"),
      get(`/api/telemetry/site/${farm}?range=1h&from=2025-01-15T12:00:00Z`, "range"),
      get(`/api/telemetry/site/${farm}?width=50`, "width"),
      get(`/api/telemetry/site/${farm}?unit=F`, "unit", 400),
      get("/api/telemetry/fleet/hottest?limit=101", "limit"),
      get("/api/audit?limit=9999", "limit"),
      get(`/api/clusters?siteId=${LONG(65)}`, "siteId"),
      get(`/api/sites/${encodeURIComponent("' OR '1'='1")}`, "site", 404),
    ]);
    // Injection strings that are valid input stay literals: they match nothing and break nothing.
    for (const q of ["%", "_", "' OR 1=1 --", "\\"]) {
      const res = await fetch(`${base}/api/sites?q=${encodeURIComponent(q)}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total, `q=${q}`).toBe(0);
    }
    for (const label of ["__proto__", "constructor", "toString"]) {
      const res = await fetch(`${base}/api/fleet/health?label=${label}`, { headers: { cookie } });
      expect(((await res.json()) as { matching: number }).matching, `label=${label}`).toBe(0);
    }
  });
});
