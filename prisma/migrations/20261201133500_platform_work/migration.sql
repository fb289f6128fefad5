-- CreateTable
CREATE TABLE "WorkLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "acquiredAt" DATETIME NOT NULL,
    "renewedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WorkJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "queue" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'available',
    "payload" TEXT NOT NULL DEFAULT '{}',
    "runAt" DATETIME NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 10,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "WorkerInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "services" TEXT NOT NULL DEFAULT '[]',
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkJob_queue_key_key" ON "WorkJob"("queue", "key");

-- CreateIndex
CREATE INDEX "WorkJob_queue_state_runAt_idx" ON "WorkJob"("queue", "state", "runAt");

-- CreateIndex
CREATE INDEX "WorkJob_state_finishedAt_idx" ON "WorkJob"("state", "finishedAt");

-- CreateIndex
CREATE INDEX "WorkerInstance_heartbeatAt_idx" ON "WorkerInstance"("heartbeatAt");
