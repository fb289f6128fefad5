-- AlterTable
ALTER TABLE "TelemetryNodeLatest" ADD COLUMN "keyValue" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "TelemetryNodeLatest" ADD COLUMN "keyAt" TIMESTAMP(3);
