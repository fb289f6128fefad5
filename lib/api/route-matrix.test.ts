import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRole, type Role } from "@/lib/auth/roles";
import { createSession, SESSION_COOKIE } from "@/lib/auth/session";
import { createApiToken, createUser, ensureFirstAdmin, updateUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { TEST_ORIGIN } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { PROBES } from "./matrix";
import type { Probe } from "./matrix/probe";
import { ROUTES, type RouteKey } from "./routes";
import { HTTP_METHODS, type RouteSpec } from "./spec";

// The route × role matrix: every route file and method under app/api/ (found on
// disk, so a route without a table entry fails here), called in-process through
// its real handler by each kind of caller, each expecting its status.

const root = path.resolve(import.meta.dirname, "../..");
const apiDir = path.join(root, "app/api");

function discoverRouteFiles(): { file: string; path: string }[] {
  return (fs.readdirSync(apiDir, { recursive: true }) as string[])
    .filter((f) => f.split(path.sep).at(-1) === "route.ts")
    .map((f) => ({
      file: path.join(apiDir, f),
      path: `/api/${path
        .dirname(f)
        .split(path.sep)
        .map((seg) => seg.replace(/^\[\.{0,3}(.+)\]$/, "{$1}"))
        .join("/")}`.replace(/\/\.$/, ""),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

type Handler = ((req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  routeKey?: string;
};

const COLUMNS = [
  "anonymous",
  "viewer",
  "operator",
  "admin",
  "token of a demoted user",
  "cookie without Origin",
  "cookie with a foreign Origin",
] as const;
type Column = (typeof COLUMNS)[number];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What each caller must get: the probe's status when let in, else the refusal. */
function expected(spec: RouteSpec, method: string, probe: Probe, column: Column): number {
  const asRole = (role: Role | null) => {
    // Token-zone routes ignore sessions and API tokens: the same answer for every caller.
    if (spec.access === "public" || spec.access === "embed-token") return probe.allowed;
    if (role === null) return 401;
    return hasRole(role, spec.access) ? probe.allowed : 403;
  };
  switch (column) {
    case "anonymous":
      return asRole(null);
    case "viewer":
    case "operator":
    case "admin":
      return asRole(column);
    case "token of a demoted user":
      // Created with the operator role by an operator who is a viewer now.
      return asRole("viewer");
    case "cookie without Origin":
    case "cookie with a foreign Origin":
      return UNSAFE.has(method) && spec.access !== "embed-token" ? 403 : asRole("admin");
  }
}

const users: Record<"viewer" | "operator" | "admin", string> = { viewer: "", operator: "", admin: "" };
let demotedToken = "";
let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: "matrix-admin-password" })).cleanup;
  await ensureFirstAdmin();
  const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
  users.admin = admin.id;
  users.viewer = (
    await createUser({ username: "mx-viewer", password: "matrix-password-1", role: "viewer" })
  ).id;
  users.operator = (
    await createUser({ username: "mx-operator", password: "matrix-password-2", role: "operator" })
  ).id;
  const dora = await createUser({ username: "mx-demoted", password: "matrix-password-3", role: "operator" });
  demotedToken = (
    await createApiToken(dora.id, "operator", { name: "ci", role: "operator", expiresInDays: 1 })
  ).token;
  await updateUser(dora.id, admin.id, { role: "viewer" });
});
afterAll(() => cleanup());

async function send(key: RouteKey, fn: Handler, probe: Probe, column: Column): Promise<number> {
  const [method, routePath] = key.split(" ") as [string, string];
  const url = new URL(
    routePath.replace(/\{(\w+)\}/g, (_, p: string) => probe.params?.[p] ?? p),
    TEST_ORIGIN,
  );
  for (const [k, v] of Object.entries(probe.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ host: new URL(TEST_ORIGIN).host });
  if (probe.body !== undefined) headers.set("content-type", "application/json");
  const cookieOf = async (userId: string) =>
    headers.set("cookie", `${SESSION_COOKIE}=${(await createSession(userId)).cookieValue}`);
  switch (column) {
    case "anonymous":
      headers.set("origin", TEST_ORIGIN);
      break;
    case "viewer":
    case "operator":
    case "admin":
      // A fresh session per call: the logout probe ends the one it is sent with.
      await cookieOf(users[column]);
      headers.set("origin", TEST_ORIGIN);
      break;
    case "token of a demoted user":
      headers.set("authorization", `Bearer ${demotedToken}`);
      break;
    case "cookie without Origin":
      await cookieOf(users.admin);
      break;
    case "cookie with a foreign Origin":
      await cookieOf(users.admin);
      headers.set("origin", "https://outpost.test.evil.example");
      break;
  }
  const req = new NextRequest(url, {
    method,
    headers,
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const res = await fn(req, { params: Promise.resolve(probe.params ?? {}) });
  return res.status;
}

describe("route table", () => {
  const files = discoverRouteFiles();

  it("has an entry, a handler from the table and a matrix probe for every route file and method", async () => {
    const found: string[] = [];
    for (const { file, path: routePath } of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of HTTP_METHODS) {
        const fn = mod[method] as Handler | undefined;
        if (!fn) continue;
        const key = `${method} ${routePath}`;
        found.push(key);
        expect(
          ROUTES,
          `${key} (${path.relative(root, file)}) has no entry in lib/api/routes/`,
        ).toHaveProperty([key]);
        expect(fn.routeKey, `${key} must be handler("${key}", …)`).toBe(key);
        expect(PROBES, `${key} has no probe in lib/api/matrix/`).toHaveProperty([key]);
      }
    }
    // And no table entry without a route file behind it.
    expect(Object.keys(ROUTES).sort()).toEqual([...found].sort());
  });
});

describe("route × role matrix", () => {
  const keys = Object.keys(ROUTES) as RouteKey[];
  const fileOf = new Map(discoverRouteFiles().map((f) => [f.path, f.file]));

  it.each(keys)("%s", async (key) => {
    const [method, routePath] = key.split(" ") as [string, string];
    const file = fileOf.get(routePath);
    expect(file, `no route file for ${key}`).toBeDefined();
    const fn = ((await import(file as string)) as Record<string, Handler>)[method] as Handler;
    const probe = PROBES[key];
    const spec: RouteSpec = ROUTES[key];
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const column of COLUMNS) {
      want[column] = expected(spec, method, probe, column);
      got[column] = await send(key, fn, probe, column);
    }
    expect(got).toEqual(want);
  });
});
