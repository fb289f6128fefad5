import "server-only";
import fs from "node:fs";
import path from "node:path";
import { type DirectoryImport, type InventoryFile, inventoryItems } from "./inventory";

export type { DirectoryImport } from "./inventory";

/** Reads a fleet directory in Outpost's inventory format (lib/fleet/inventory.ts) from disk. */
export function readFleetDirectory(dir: string): DirectoryImport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, "utf8") : null;
  const files: InventoryFile[] = [];
  for (const site of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!site.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(dir, site.name))) {
      let text: string | Error;
      try {
        text = fs.readFileSync(path.join(dir, site.name, file), "utf8");
      } catch (err) {
        text = err instanceof Error ? err : new Error(String(err));
      }
      files.push({ site: site.name, file, text });
    }
  }
  return inventoryItems(manifest, files);
}
