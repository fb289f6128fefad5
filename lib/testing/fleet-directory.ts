import fs from "node:fs";
import path from "node:path";
import { type DirectoryImport, inventoryItems } from "@/lib/fleet/inventory";

// The test beds' reader of a simulator's fleet directory. Outpost's own reader
// (lib/fleet/import-dir.ts) is server-only; Playwright's process loads plain Node
// modules, so the e2e setup reads the files here and maps them with the same code.
export function readFleetDirectoryForTests(dir: string): DirectoryImport {
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, "utf8") : null;
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((site) =>
      fs.readdirSync(path.join(dir, site.name)).map((file) => ({
        site: site.name,
        file,
        text: fs.readFileSync(path.join(dir, site.name, file), "utf8"),
      })),
    );
  return inventoryItems(manifest, files);
}
