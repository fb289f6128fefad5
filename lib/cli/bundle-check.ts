// After `next build`: fails when anything that belongs to the server shows up in
// what browsers download (.next/static). `import "server-only"` makes the build
// refuse such imports; this checks the result, with strings that survive
// minification: the names of secret settings and literals of server-only modules.
import fs from "node:fs";
import path from "node:path";

export const SERVER_MARKERS = [
  "OUTPOST_SECRET_KEY",
  "OUTPOST_PREVIOUS_SECRET_KEYS",
  "OUTPOST_ADMIN_PASSWORD",
  "DATABASE_URL",
  "Invalid Outpost configuration", // lib/env.ts
  "outpost-login|", // lib/auth/throttle-store.ts
  "BEGIN PRIVATE KEY",
];

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => /\.(js|mjs|json|map|css|html)$/.test(f) && fs.statSync(f).isFile());
}

export function serverLeaks(staticDir: string): { file: string; marker: string }[] {
  const found: { file: string; marker: string }[] = [];
  for (const file of files(staticDir)) {
    if (file.endsWith(".map")) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const marker of SERVER_MARKERS) if (text.includes(marker)) found.push({ file, marker });
  }
  return found;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "");
if (isMain) {
  const dir = path.resolve(".next/static");
  const count = files(dir).length;
  if (count === 0) {
    process.stderr.write("no client bundle in .next/static: run next build first\n");
    process.exit(1);
  }
  const leaks = serverLeaks(dir);
  if (leaks.length > 0) {
    for (const l of leaks)
      process.stderr.write(`${path.relative(process.cwd(), l.file)}: contains ${l.marker}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `client bundle clean: ${count} files, none carries server-only code or secret names\n`,
  );
}
