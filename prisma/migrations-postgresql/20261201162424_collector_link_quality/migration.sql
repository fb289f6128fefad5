-- Link quality on the status row (latest poll outcomes, intermittent run, slow since, server certificate)
-- and one contact row per intermittent run.
-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "recentPolls" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "flapSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "flapPolls" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "flapFailures" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "slowSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "serverCertFingerprint" TEXT;

-- AlterTable
ALTER TABLE "ClusterStatus" ADD COLUMN "serverCertNotAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "endAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "polls" INTEGER;

-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "failures" INTEGER;
