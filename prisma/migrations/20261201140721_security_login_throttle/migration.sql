-- RedefineTables: usernames unique regardless of case (a NOT NULL column without a default
-- needs a rebuild in SQLite). Existing names that differ only in case keep working: all but
-- the oldest get a key that cannot collide, and an admin should rename them.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "usernameKey" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "isDisabled" BOOLEAN NOT NULL DEFAULT false,
    "temperatureUnit" TEXT NOT NULL DEFAULT 'C',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("id", "username", "usernameKey", "passwordHash", "role", "isDisabled", "temperatureUnit", "createdAt", "updatedAt")
SELECT "id", "username",
    CASE WHEN EXISTS (
        SELECT 1 FROM "User" AS "older"
        WHERE lower("older"."username") = lower("User"."username")
          AND ("older"."createdAt" < "User"."createdAt" OR ("older"."createdAt" = "User"."createdAt" AND "older"."id" < "User"."id"))
    ) THEN lower("username") || '~' || "id" ELSE lower("username") END,
    "passwordHash", "role", "isDisabled", "temperatureUnit", "createdAt", "updatedAt"
FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "firstFailureAt" DATETIME NOT NULL,
    "lastFailureAt" DATETIME NOT NULL
);
CREATE INDEX "LoginThrottle_lastFailureAt_idx" ON "LoginThrottle"("lastFailureAt");

-- CreateTable
CREATE TABLE "LoginAddress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "addressHash" TEXT NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    CONSTRAINT "LoginAddress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "LoginAddress_userId_addressHash_key" ON "LoginAddress"("userId", "addressHash");
