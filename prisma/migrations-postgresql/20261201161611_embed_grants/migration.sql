-- CreateTable
CREATE TABLE "EmbedGrant" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedByName" TEXT,
    "tokenHash" TEXT,
    "secretEnc" TEXT,
    "credentialHint" TEXT NOT NULL DEFAULT '',
    "lastUsedAt" TIMESTAMP(3),
    "useCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "EmbedGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmbedGrant_tokenHash_key" ON "EmbedGrant"("tokenHash");

-- CreateIndex
CREATE INDEX "EmbedGrant_createdById_idx" ON "EmbedGrant"("createdById");

-- CreateIndex
CREATE INDEX "EmbedGrant_siteId_idx" ON "EmbedGrant"("siteId");

-- AddForeignKey
ALTER TABLE "EmbedGrant" ADD CONSTRAINT "EmbedGrant_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmbedGrant" ADD CONSTRAINT "EmbedGrant_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
