import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A third-party portal for the embed specs: its own HTTP server on a free port,
 * reached as http://localhost:<port> while Outpost is http://127.0.0.1:<port>,
 * so the frames it shows are cross-site (third-party) for the browser.
 */
export interface HostPage {
  origin: string;
  /** serves `html` (a whole body) at `path` */
  set(path: string, html: string): void;
  url(path: string): string;
  stop(): Promise<void>;
}

export async function startHostPage(): Promise<HostPage> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const body = pages.get((req.url ?? "/").split("?")[0] ?? "/");
    res.writeHead(body ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(
      body
        ? `<!doctype html><html><head><title>Portal</title></head><body>${body}</body></html>`
        : "not found",
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    set: (path, html) => pages.set(path, html),
    url: (path) => `${origin}${path}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function iframe(
  src: string,
  opts: { name: string; width?: number; height?: number; referrerPolicy?: string },
) {
  const attrs = [
    `src="${src.replace(/"/g, "&quot;")}"`,
    `name="${opts.name}"`,
    `title="${opts.name}"`,
    `width="${opts.width ?? 600}"`,
    `height="${opts.height ?? 300}"`,
    'style="border:0"',
    opts.referrerPolicy ? `referrerpolicy="${opts.referrerPolicy}"` : "",
  ];
  return `<iframe ${attrs.filter(Boolean).join(" ")}></iframe>`;
}
