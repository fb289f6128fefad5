-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'manifest',
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DeploymentRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "objects" TEXT NOT NULL,
    "secretsEnc" TEXT,
    "secretPrints" TEXT NOT NULL DEFAULT '{}',
    "requiredRole" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DeploymentRevision_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentPreview" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "selectorText" TEXT NOT NULL,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "DeploymentPreview_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PreviewTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "previewId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "siteSlug" TEXT NOT NULL,
    "siteName" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '[]',
    "checkedAt" DATETIME,
    CONSTRAINT "PreviewTarget_previewId_fkey" FOREIGN KEY ("previewId") REFERENCES "DeploymentPreview" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rollout" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "revisionId" TEXT,
    "fromRevisionId" TEXT,
    "rollbackOfId" TEXT,
    "selector" TEXT NOT NULL,
    "selectorText" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "restartSpec" TEXT,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "stateReason" TEXT NOT NULL DEFAULT '',
    "stateSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "currentWave" INTEGER NOT NULL DEFAULT 0,
    "waves" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Rollout_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RolloutTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rolloutId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "siteSlug" TEXT NOT NULL,
    "siteName" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "ord" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT NOT NULL DEFAULT '',
    "since" DATETIME NOT NULL,
    "failure" TEXT,
    "waitingSince" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextCheckAt" DATETIME,
    "lastCheckedAt" DATETIME,
    "appliedAt" DATETIME,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RolloutTarget_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RolloutEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rolloutId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "message" TEXT NOT NULL,
    "actorName" TEXT,
    CONSTRAINT "RolloutEvent_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentInstallation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "revisionId" TEXT,
    "rolloutId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "appliedAt" DATETIME NOT NULL,
    "driftFields" TEXT NOT NULL DEFAULT '[]',
    "driftCheckedAt" DATETIME,
    "nextDriftCheckAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeploymentInstallation_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DeploymentInstallation_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_name_key" ON "Deployment"("name");

-- CreateIndex
CREATE INDEX "Deployment_updatedAt_idx" ON "Deployment"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentRevision_deploymentId_number_key" ON "DeploymentRevision"("deploymentId", "number");

-- CreateIndex
CREATE INDEX "DeploymentRevision_deploymentId_contentHash_idx" ON "DeploymentRevision"("deploymentId", "contentHash");

-- CreateIndex
CREATE INDEX "DeploymentPreview_deploymentId_createdAt_idx" ON "DeploymentPreview"("deploymentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PreviewTarget_previewId_clusterId_key" ON "PreviewTarget"("previewId", "clusterId");

-- CreateIndex
CREATE INDEX "PreviewTarget_previewId_outcome_idx" ON "PreviewTarget"("previewId", "outcome");

-- CreateIndex
CREATE INDEX "Rollout_deploymentId_createdAt_idx" ON "Rollout"("deploymentId", "createdAt");

-- CreateIndex
CREATE INDEX "Rollout_state_idx" ON "Rollout"("state");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutTarget_rolloutId_clusterId_key" ON "RolloutTarget"("rolloutId", "clusterId");

-- CreateIndex
CREATE INDEX "RolloutTarget_rolloutId_state_idx" ON "RolloutTarget"("rolloutId", "state");

-- CreateIndex
CREATE INDEX "RolloutTarget_rolloutId_wave_ord_idx" ON "RolloutTarget"("rolloutId", "wave", "ord");

-- CreateIndex
CREATE INDEX "RolloutTarget_clusterId_idx" ON "RolloutTarget"("clusterId");

-- CreateIndex
CREATE INDEX "RolloutEvent_rolloutId_at_idx" ON "RolloutEvent"("rolloutId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentInstallation_deploymentId_clusterId_key" ON "DeploymentInstallation"("deploymentId", "clusterId");

-- CreateIndex
CREATE INDEX "DeploymentInstallation_clusterId_idx" ON "DeploymentInstallation"("clusterId");

-- CreateIndex
CREATE INDEX "DeploymentInstallation_nextDriftCheckAt_idx" ON "DeploymentInstallation"("nextDriftCheckAt");

-- CreateIndex: at most one running or paused rollout per deployment (two CI runs starting at once cannot both win)
CREATE UNIQUE INDEX "Rollout_one_active_key" ON "Rollout"("deploymentId") WHERE "state" IN ('running', 'paused');
