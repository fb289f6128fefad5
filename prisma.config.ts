import { defineConfig } from "prisma/config";

// The CLI is used only for `generate` here: migrations are applied by
// lib/db/migrate.ts at startup (the native schema engine cannot be fetched offline).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
