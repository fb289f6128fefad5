-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "config" TEXT NOT NULL,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "clusterId" TEXT,
    "node" TEXT,
    "fingerprint" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "severity" TEXT,
    "state" TEXT NOT NULL,
    "value" REAL,
    "valueAt" DATETIME,
    "thresholdCelsius" REAL,
    "thresholdSource" TEXT,
    "suppressed" TEXT,
    "mutedBy" TEXT,
    "skewMs" INTEGER,
    "firingLateMs" INTEGER,
    "activeSince" DATETIME,
    "firingSince" DATETIME,
    "lastEvaluatedAt" DATETIME NOT NULL,
    "ackByName" TEXT,
    "ackAt" DATETIME,
    "ackComment" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertInstance_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertInstance_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instanceId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromPhase" TEXT NOT NULL,
    "toPhase" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "value" REAL,
    "level" REAL,
    "severity" TEXT,
    "seq" INTEGER NOT NULL,
    "reportedLateMs" INTEGER NOT NULL DEFAULT 0,
    "mutedBy" TEXT,
    "actorName" TEXT,
    CONSTRAINT "AlertEvent_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "AlertInstance" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertEvent_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertGroup" (
    "groupKey" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertGroup_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertGroup_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertContactPoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretEnc" TEXT NOT NULL,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "isDemoSink" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactPointId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "ruleId" TEXT,
    "siteId" TEXT,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "alertCount" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "AlertDelivery_contactPointId_fkey" FOREIGN KEY ("contactPointId") REFERENCES "AlertContactPoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertDeliveryAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "error" TEXT,
    CONSTRAINT "AlertDeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "AlertDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertSilence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matchers" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "comment" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedByName" TEXT
);

-- CreateTable
CREATE TABLE "AlertSiteQuiet" (
    "siteId" TEXT NOT NULL PRIMARY KEY,
    "dataThrough" DATETIME NOT NULL,
    CONSTRAINT "AlertSiteQuiet_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertEvaluatorState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lastEvaluatedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertInstance_ruleId_subject_key" ON "AlertInstance"("ruleId", "subject");
CREATE INDEX "AlertInstance_phase_idx" ON "AlertInstance"("phase");
CREATE INDEX "AlertInstance_siteId_idx" ON "AlertInstance"("siteId");
CREATE INDEX "AlertEvent_at_idx" ON "AlertEvent"("at");
CREATE INDEX "AlertEvent_siteId_at_idx" ON "AlertEvent"("siteId", "at");
CREATE INDEX "AlertEvent_instanceId_at_idx" ON "AlertEvent"("instanceId", "at");
CREATE INDEX "AlertGroup_siteId_idx" ON "AlertGroup"("siteId");
CREATE UNIQUE INDEX "AlertContactPoint_name_key" ON "AlertContactPoint"("name");
CREATE INDEX "AlertDelivery_createdAt_idx" ON "AlertDelivery"("createdAt");
CREATE INDEX "AlertDelivery_contactPointId_createdAt_idx" ON "AlertDelivery"("contactPointId", "createdAt");
CREATE INDEX "AlertDeliveryAttempt_deliveryId_idx" ON "AlertDeliveryAttempt"("deliveryId");
CREATE INDEX "AlertSilence_endsAt_idx" ON "AlertSilence"("endsAt");
