-- Contact history: a down (or intermittent) row also carries the failure happening now.
-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "latestErrorClass" TEXT;

-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "latestMessage" TEXT;

-- AlterTable
ALTER TABLE "ContactEvent" ADD COLUMN "latestAt" TIMESTAMP(3);
