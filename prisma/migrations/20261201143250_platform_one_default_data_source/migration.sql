-- Exactly one default data source, enforced by the database (a partial unique
-- index), not by a single-writer assumption. Keep the oldest default if an
-- older database somehow has two.
UPDATE "DataSource" SET "isDefault" = false
WHERE "isDefault" AND "id" <> (SELECT "id" FROM "DataSource" WHERE "isDefault" ORDER BY "createdAt", "id" LIMIT 1);

-- CreateIndex
CREATE UNIQUE INDEX "DataSource_one_default_key" ON "DataSource"("isDefault") WHERE "isDefault";
