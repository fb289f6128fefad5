-- Link quality on the status row: latest poll outcomes, intermittent run, slow since.
-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "recentPolls" TEXT NOT NULL DEFAULT '';
ALTER TABLE "ClusterStatus" ADD COLUMN "flapSince" DATETIME;
ALTER TABLE "ClusterStatus" ADD COLUMN "flapPolls" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ClusterStatus" ADD COLUMN "flapFailures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ClusterStatus" ADD COLUMN "slowSince" DATETIME;
-- The server certificate of the latest full handshake.
ALTER TABLE "ClusterStatus" ADD COLUMN "serverCertFingerprint" TEXT;
ALTER TABLE "ClusterStatus" ADD COLUMN "serverCertNotAfter" DATETIME;

-- Contact history: one row per intermittent run.
-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "endAt" DATETIME;
ALTER TABLE "ContactEvent" ADD COLUMN "polls" INTEGER;
ALTER TABLE "ContactEvent" ADD COLUMN "failures" INTEGER;
