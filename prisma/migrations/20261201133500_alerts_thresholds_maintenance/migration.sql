-- CreateTable
CREATE TABLE "TemperatureThreshold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "level" TEXT NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "siteId" TEXT,
    "clusterId" TEXT,
    "warnCelsius" REAL NOT NULL,
    "criticalCelsius" REAL,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TemperatureThreshold_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TemperatureThreshold_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SiteMaintenance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "siteId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "endedByName" TEXT,
    CONSTRAINT "SiteMaintenance_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "TemperatureThreshold_level_scopeKey_key" ON "TemperatureThreshold"("level", "scopeKey");
CREATE INDEX "TemperatureThreshold_siteId_idx" ON "TemperatureThreshold"("siteId");
CREATE INDEX "TemperatureThreshold_clusterId_idx" ON "TemperatureThreshold"("clusterId");
CREATE INDEX "SiteMaintenance_siteId_endsAt_idx" ON "SiteMaintenance"("siteId", "endsAt");
CREATE INDEX "SiteMaintenance_endsAt_idx" ON "SiteMaintenance"("endsAt");

-- Migrate data: the per-site "hot above" setting becomes the site level of the chain.
INSERT INTO "TemperatureThreshold" ("id", "level", "scopeKey", "siteId", "warnCelsius", "updatedBy", "createdAt", "updatedAt")
SELECT 'mig' || lower(hex(randomblob(10))), 'site', "id", "id", "tempWarnCelsius", 'migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "Site" WHERE "tempWarnCelsius" IS NOT NULL;

-- AlterTable: one place holds thresholds from now on.
ALTER TABLE "Site" DROP COLUMN "tempWarnCelsius";
