-- AlterTable
ALTER TABLE "TelemetryNodeLatest" ADD COLUMN "keyValue" REAL;
ALTER TABLE "TelemetryNodeLatest" ADD COLUMN "keyAt" DATETIME;
