-- AlterTable
ALTER TABLE "DataSource" ADD COLUMN "authKind" TEXT NOT NULL DEFAULT 'none';
ALTER TABLE "DataSource" ADD COLUMN "mapping" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "User" ADD COLUMN "temperatureUnit" TEXT NOT NULL DEFAULT 'C';

-- RedefineTables: SQLite cannot add a foreign key to an existing table.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Site" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "latitude" REAL,
    "longitude" REAL,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "contactMode" TEXT NOT NULL DEFAULT 'continuous',
    "expectedOfflineWindows" TEXT NOT NULL DEFAULT '[]',
    "maxSilenceMinutes" INTEGER,
    "dataSourceId" TEXT,
    "tempWarnCelsius" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Site_dataSourceId_fkey" FOREIGN KEY ("dataSourceId") REFERENCES "DataSource" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Site" ("id", "slug", "name", "kind", "latitude", "longitude", "labels", "contactMode", "expectedOfflineWindows", "maxSilenceMinutes", "createdAt", "updatedAt") SELECT "id", "slug", "name", "kind", "latitude", "longitude", "labels", "contactMode", "expectedOfflineWindows", "maxSilenceMinutes", "createdAt", "updatedAt" FROM "Site";
DROP TABLE "Site";
ALTER TABLE "new_Site" RENAME TO "Site";
CREATE UNIQUE INDEX "Site_slug_key" ON "Site"("slug");
CREATE INDEX "Site_kind_idx" ON "Site"("kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
