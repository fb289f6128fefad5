-- CreateTable
CREATE TABLE "SiteSummary" (
    "siteId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "nextChangeAt" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "computedAt" DOUBLE PRECISION,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "severity" INTEGER NOT NULL DEFAULT 0,
    "sinceSort" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "orderSeverity" INTEGER NOT NULL DEFAULT 0,
    "orderSince" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "nameRank" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "name" TEXT NOT NULL DEFAULT '',
    "nameLower" TEXT NOT NULL DEFAULT '',
    "slug" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'other',
    "labels" TEXT NOT NULL DEFAULT '{}',
    "axisReach" TEXT NOT NULL DEFAULT 'unknown',
    "axisCondition" TEXT NOT NULL DEFAULT 'unknown',
    "axisTelemetry" TEXT NOT NULL DEFAULT 'unknown',
    "counts" TEXT NOT NULL DEFAULT '{}',
    "reasons" TEXT NOT NULL DEFAULT '[]',
    "searchText" TEXT NOT NULL DEFAULT '',
    "telemetrySourceId" TEXT,
    "hasTelemetry" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "SiteSummary_pkey" PRIMARY KEY ("siteId")
);

-- CreateTable
CREATE TABLE "SiteSummaryLabel" (
    "id" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "SiteSummaryLabel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SiteSummary_status_idx" ON "SiteSummary"("status");

-- CreateIndex
CREATE INDEX "SiteSummary_orderSeverity_orderSince_nameRank_idx" ON "SiteSummary"("orderSeverity", "orderSince", "nameRank");

-- CreateIndex
CREATE INDEX "SiteSummary_nextChangeAt_idx" ON "SiteSummary"("nextChangeAt");

-- CreateIndex
CREATE INDEX "SiteSummary_kind_idx" ON "SiteSummary"("kind");

-- CreateIndex
CREATE INDEX "SiteSummary_telemetrySourceId_hasTelemetry_idx" ON "SiteSummary"("telemetrySourceId", "hasTelemetry");

-- CreateIndex
CREATE INDEX "SiteSummaryLabel_key_value_idx" ON "SiteSummaryLabel"("key", "value");

-- CreateIndex
CREATE INDEX "SiteSummaryLabel_siteId_idx" ON "SiteSummaryLabel"("siteId");

-- AddForeignKey
ALTER TABLE "SiteSummary" ADD CONSTRAINT "SiteSummary_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteSummary" ADD CONSTRAINT "SiteSummary_telemetrySourceId_fkey" FOREIGN KEY ("telemetrySourceId") REFERENCES "DataSource"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteSummaryLabel" ADD CONSTRAINT "SiteSummaryLabel_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "SiteSummary"("siteId") ON DELETE CASCADE ON UPDATE CASCADE;
