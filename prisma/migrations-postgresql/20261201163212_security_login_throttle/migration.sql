-- PostgreSQL twin of prisma/migrations/20261201140721_security_login_throttle (SQLite).

-- AlterTable: usernames unique regardless of case. Existing names that differ only in case
-- keep working: all but the oldest get a key that cannot collide (and should be renamed).
ALTER TABLE "User" ADD COLUMN "usernameKey" TEXT;
UPDATE "User" SET "usernameKey" = CASE WHEN EXISTS (
    SELECT 1 FROM "User" AS "older"
    WHERE lower("older"."username") = lower("User"."username")
      AND ("older"."createdAt" < "User"."createdAt" OR ("older"."createdAt" = "User"."createdAt" AND "older"."id" < "User"."id"))
) THEN lower("username") || '~' || "id" ELSE lower("username") END;
ALTER TABLE "User" ALTER COLUMN "usernameKey" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "firstFailureAt" TIMESTAMP(3) NOT NULL,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "LoginAddress" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addressHash" TEXT NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginAddress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LoginThrottle_lastFailureAt_idx" ON "LoginThrottle"("lastFailureAt");

-- CreateIndex
CREATE UNIQUE INDEX "LoginAddress_userId_addressHash_key" ON "LoginAddress"("userId", "addressHash");

-- AddForeignKey
ALTER TABLE "LoginAddress" ADD CONSTRAINT "LoginAddress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
