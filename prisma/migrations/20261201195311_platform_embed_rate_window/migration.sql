-- CreateTable: the embed per-grant rate window, shared by every instance
CREATE TABLE "EmbedRateWindow" (
    "grantId" TEXT NOT NULL PRIMARY KEY,
    "windowStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL
);
