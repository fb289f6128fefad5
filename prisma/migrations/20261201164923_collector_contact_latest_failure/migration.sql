-- Contact history: a down (or intermittent) row also carries the failure happening now.
-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "latestErrorClass" TEXT;
ALTER TABLE "ContactEvent" ADD COLUMN "latestMessage" TEXT;
ALTER TABLE "ContactEvent" ADD COLUMN "latestAt" DATETIME;
