-- CreateTable
CREATE TABLE "EmbedGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "siteId" TEXT,
    "siteFilter" TEXT NOT NULL DEFAULT '{}',
    "metric" TEXT,
    "ranges" TEXT NOT NULL,
    "defaultRange" TEXT NOT NULL,
    "origins" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "rateLimitPerMinute" INTEGER NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "revokedByName" TEXT,
    "tokenHash" TEXT,
    "secretEnc" TEXT,
    "credentialHint" TEXT NOT NULL DEFAULT '',
    "lastUsedAt" DATETIME,
    "useCount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "EmbedGrant_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EmbedGrant_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "EmbedGrant_tokenHash_key" ON "EmbedGrant"("tokenHash");

-- CreateIndex
CREATE INDEX "EmbedGrant_createdById_idx" ON "EmbedGrant"("createdById");

-- CreateIndex
CREATE INDEX "EmbedGrant_siteId_idx" ON "EmbedGrant"("siteId");
