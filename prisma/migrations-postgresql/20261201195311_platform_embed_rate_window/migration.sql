-- CreateTable: the embed per-grant rate window, shared by every instance
CREATE TABLE "EmbedRateWindow" (
    "grantId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "EmbedRateWindow_pkey" PRIMARY KEY ("grantId")
);
