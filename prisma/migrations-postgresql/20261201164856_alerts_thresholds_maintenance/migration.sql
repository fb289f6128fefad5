-- CreateTable
CREATE TABLE "TemperatureThreshold" (
    "id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "siteId" TEXT,
    "clusterId" TEXT,
    "warnCelsius" DOUBLE PRECISION NOT NULL,
    "criticalCelsius" DOUBLE PRECISION,
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TemperatureThreshold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteMaintenance" (
    "id" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endedByName" TEXT,

    CONSTRAINT "SiteMaintenance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TemperatureThreshold_level_scopeKey_key" ON "TemperatureThreshold"("level", "scopeKey");

-- CreateIndex
CREATE INDEX "TemperatureThreshold_siteId_idx" ON "TemperatureThreshold"("siteId");

-- CreateIndex
CREATE INDEX "TemperatureThreshold_clusterId_idx" ON "TemperatureThreshold"("clusterId");

-- CreateIndex
CREATE INDEX "SiteMaintenance_siteId_endsAt_idx" ON "SiteMaintenance"("siteId", "endsAt");

-- CreateIndex
CREATE INDEX "SiteMaintenance_endsAt_idx" ON "SiteMaintenance"("endsAt");

-- AddForeignKey
ALTER TABLE "TemperatureThreshold" ADD CONSTRAINT "TemperatureThreshold_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TemperatureThreshold" ADD CONSTRAINT "TemperatureThreshold_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteMaintenance" ADD CONSTRAINT "SiteMaintenance_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Migrate data: the per-site "hot above" setting becomes the site level of the chain.
INSERT INTO "TemperatureThreshold" ("id", "level", "scopeKey", "siteId", "warnCelsius", "updatedBy", "createdAt", "updatedAt")
SELECT 'mig' || substr(md5(random()::text || "id"), 1, 20), 'site', "id", "id", "tempWarnCelsius", 'migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "Site" WHERE "tempWarnCelsius" IS NOT NULL;

-- AlterTable: one place holds thresholds from now on.
ALTER TABLE "Site" DROP COLUMN "tempWarnCelsius";
