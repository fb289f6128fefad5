-- PostgreSQL starts from the schema as it was when PostgreSQL support landed (the
-- SQLite history before it is squashed into this one migration).

-- CreateTable
CREATE TABLE "Site" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "contactMode" TEXT NOT NULL DEFAULT 'continuous',
    "expectedOfflineWindows" TEXT NOT NULL DEFAULT '[]',
    "maxSilenceMinutes" INTEGER,
    "dataSourceId" TEXT,
    "tempWarnCelsius" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "tlsServerName" TEXT NOT NULL DEFAULT '',
    "contextName" TEXT NOT NULL,
    "authKind" TEXT NOT NULL,
    "kubeconfigEnc" TEXT NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "k3sVersion" TEXT,
    "platform" TEXT,
    "certNotAfter" TIMESTAMP(3),
    "lastTestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSource" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "database" TEXT NOT NULL,
    "retentionPolicy" TEXT,
    "authKind" TEXT NOT NULL DEFAULT 'none',
    "username" TEXT,
    "secretEnc" TEXT,
    "mapping" TEXT NOT NULL DEFAULT '{}',
    "timeoutMs" INTEGER NOT NULL DEFAULT 10000,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "isDisabled" BOOLEAN NOT NULL DEFAULT false,
    "temperatureUnit" TEXT NOT NULL DEFAULT 'C',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "result" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClusterStatus" (
    "clusterId" TEXT NOT NULL,
    "lastAttemptAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastErrorClass" TEXT,
    "lastErrorMessage" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "gitVersion" TEXT,
    "summary" TEXT,
    "snapshot" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterStatus_pkey" PRIMARY KEY ("clusterId")
);

-- CreateTable
CREATE TABLE "ContactEvent" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "errorClass" TEXT,
    "message" TEXT,

    CONSTRAINT "ContactEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelemetryNodeLatest" (
    "id" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "siteTag" TEXT NOT NULL,
    "clusterTag" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "siteId" TEXT,
    "clusterId" TEXT,
    "tempC" DOUBLE PRECISION,
    "tempAt" TIMESTAMP(3),
    "windowMaxC" DOUBLE PRECISION,
    "windowMaxAt" TIMESTAMP(3),
    "windowFrom" TIMESTAMP(3),
    "windowTo" TIMESTAMP(3),
    "lastPointAt" TIMESTAMP(3),
    "pingAt" TIMESTAMP(3),
    "lossPct" DOUBLE PRECISION,
    "rttMs" DOUBLE PRECISION,
    "skewMs" DOUBLE PRECISION,
    "skewSeenAt" TIMESTAMP(3),
    "probeNewestAt" TIMESTAMP(3),
    "probeAt" TIMESTAMP(3),
    "tickAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TelemetryNodeLatest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelemetrySourceStatus" (
    "sourceId" TEXT NOT NULL,
    "tickSeq" INTEGER NOT NULL DEFAULT 0,
    "lastTickAt" TIMESTAMP(3),
    "lastOkAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastErrorReason" TEXT,
    "lastErrorMessage" TEXT,
    "queryMs" INTEGER,
    "hosts" INTEGER NOT NULL DEFAULT 0,
    "windowFrom" TIMESTAMP(3),
    "windowTo" TIMESTAMP(3),
    "lastMode" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelemetrySourceStatus_pkey" PRIMARY KEY ("sourceId")
);

-- CreateTable
CREATE TABLE "WorkLease" (
    "name" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,
    "renewedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "WorkJob" (
    "id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'available',
    "payload" TEXT NOT NULL DEFAULT '{}',
    "runAt" TIMESTAMP(3) NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 10,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WorkJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerInstance" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "services" TEXT NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "WorkerInstance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Site_slug_key" ON "Site"("slug");

-- CreateIndex
CREATE INDEX "Site_kind_idx" ON "Site"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_server_tlsServerName_name_key" ON "Cluster"("server", "tlsServerName", "name");

-- CreateIndex
CREATE INDEX "Cluster_siteId_idx" ON "Cluster"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "DataSource_name_key" ON "DataSource"("name");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "ContactEvent_clusterId_at_idx" ON "ContactEvent"("clusterId", "at");

-- CreateIndex
CREATE INDEX "TelemetryNodeLatest_sourceId_idx" ON "TelemetryNodeLatest"("sourceId");

-- CreateIndex
CREATE INDEX "TelemetryNodeLatest_siteId_idx" ON "TelemetryNodeLatest"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkJob_queue_key_key" ON "WorkJob"("queue", "key");

-- CreateIndex
CREATE INDEX "WorkJob_queue_state_runAt_idx" ON "WorkJob"("queue", "state", "runAt");

-- CreateIndex
CREATE INDEX "WorkJob_state_finishedAt_idx" ON "WorkJob"("state", "finishedAt");

-- CreateIndex
CREATE INDEX "WorkerInstance_heartbeatAt_idx" ON "WorkerInstance"("heartbeatAt");

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_dataSourceId_fkey" FOREIGN KEY ("dataSourceId") REFERENCES "DataSource"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterStatus" ADD CONSTRAINT "ClusterStatus_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactEvent" ADD CONSTRAINT "ContactEvent_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelemetryNodeLatest" ADD CONSTRAINT "TelemetryNodeLatest_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelemetrySourceStatus" ADD CONSTRAINT "TelemetrySourceStatus_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex: exactly one default data source (partial unique index, also on SQLite)
CREATE UNIQUE INDEX "DataSource_one_default_key" ON "DataSource"("isDefault") WHERE "isDefault";
