-- CreateTable
CREATE TABLE "TelemetryNodeLatest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sourceId" TEXT NOT NULL,
    "siteTag" TEXT NOT NULL,
    "clusterTag" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "siteId" TEXT,
    "clusterId" TEXT,
    "tempC" REAL,
    "tempAt" DATETIME,
    "windowMaxC" REAL,
    "windowMaxAt" DATETIME,
    "windowFrom" DATETIME,
    "windowTo" DATETIME,
    "lastPointAt" DATETIME,
    "pingAt" DATETIME,
    "lossPct" REAL,
    "rttMs" REAL,
    "skewMs" REAL,
    "skewSeenAt" DATETIME,
    "probeNewestAt" DATETIME,
    "probeAt" DATETIME,
    "tickAt" DATETIME NOT NULL,
    CONSTRAINT "TelemetryNodeLatest_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TelemetrySourceStatus" (
    "sourceId" TEXT NOT NULL PRIMARY KEY,
    "tickSeq" INTEGER NOT NULL DEFAULT 0,
    "lastTickAt" DATETIME,
    "lastOkAt" DATETIME,
    "lastErrorAt" DATETIME,
    "lastErrorReason" TEXT,
    "lastErrorMessage" TEXT,
    "queryMs" INTEGER,
    "hosts" INTEGER NOT NULL DEFAULT 0,
    "windowFrom" DATETIME,
    "windowTo" DATETIME,
    "lastMode" TEXT,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TelemetrySourceStatus_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TelemetryNodeLatest_sourceId_idx" ON "TelemetryNodeLatest"("sourceId");

-- CreateIndex
CREATE INDEX "TelemetryNodeLatest_siteId_idx" ON "TelemetryNodeLatest"("siteId");
