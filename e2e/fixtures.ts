import { readFileSync } from "node:fs";
import { type APIRequestContext, test as base, expect, type Page } from "@playwright/test";
import { SimFaults } from "./sim-faults";
import { type E2EState, e2eState } from "./state";

let counter = 0;
/** Unique, readable names: tests share one server and database. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function readKubeconfig(file: string): string {
  return readFileSync(file, "utf8");
}

/** JSON API calls with the page's cookies and a same-origin Origin header (as the browser would send). */
export class Api {
  constructor(
    private readonly request: APIRequestContext,
    private readonly baseUrl: string,
  ) {}

  private headers() {
    return { origin: this.baseUrl, "content-type": "application/json" };
  }

  async login(username: string, password: string): Promise<void> {
    const res = await this.request.post(`${this.baseUrl}/api/auth/login`, {
      data: { username, password },
      headers: this.headers(),
    });
    expect(res.status(), await res.text()).toBe(200);
  }

  async post<T>(path: string, data: unknown, expected = 200): Promise<T> {
    const res = await this.request.post(`${this.baseUrl}${path}`, { data, headers: this.headers() });
    expect(res.status(), await res.text()).toBe(expected);
    return (await res.json()) as T;
  }

  async delete(path: string, expected = 200): Promise<void> {
    const res = await this.request.delete(`${this.baseUrl}${path}`, { headers: this.headers() });
    expect(res.status(), await res.text()).toBe(expected);
  }

  async createSite(input: {
    name: string;
    kind: string;
    slug?: string;
    labels?: Record<string, string>;
    contactMode?: "continuous" | "intermittent";
    expectedOfflineWindows?: { start: string; end: string; timeZone: string }[];
  }) {
    return (await this.post<{ site: { id: string; slug: string; name: string } }>("/api/sites", input)).site;
  }

  async createUser(username: string, password: string, role: "viewer" | "operator" | "admin") {
    return (await this.post<{ user: { id: string } }>("/api/users", { username, password, role })).user;
  }
}

type Fixtures = {
  e2e: E2EState;
  /** an API client sharing the browser context's cookies */
  api: Api;
  /** a page whose context is signed in as the admin */
  adminPage: Page;
  /** the simulator's fault API, cleared before and after the test so no fault outlives it */
  faults: SimFaults;
  /** fails the test when the page breaks the Content-Security-Policy (automatic) */
  cspGuard: undefined;
};

export const test = base.extend<Fixtures>({
  // The port is chosen at global setup, after the config was loaded.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(e2eState().baseUrl);
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  e2e: async ({}, use) => {
    await use(e2eState());
  },
  api: async ({ page, e2e }, use) => {
    await use(new Api(page.request, e2e.baseUrl));
  },
  adminPage: async ({ page, api, e2e }, use) => {
    await api.login(e2e.admin.username, e2e.admin.password);
    await use(page);
  },
  // Automatic for every test: a fault left behind by one test must never leak into the next.
  faults: [
    async ({ e2e }, use) => {
      const faults = new SimFaults(e2e.simulator.controlUrl);
      await faults.clear();
      try {
        await use(faults);
      } finally {
        await faults.clear();
      }
    },
    { auto: true },
  ],
  // Automatic for every test: whatever a page does must work under the nonce-based CSP.
  cspGuard: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (m) => {
        const text = m.text();
        // A refused frame-ancestors is the policy of the framed page working (embed
        // tests provoke it from a foreign portal), not something the page tried to do.
        if (text.includes("frame-ancestors")) return;
        if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(text))
          violations.push(text);
      });
      await use(undefined);
      expect(violations, "CSP violations on the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
