-- Retention deletes contact history by age across all clusters.
-- CreateIndex
CREATE INDEX "ContactEvent_at_idx" ON "ContactEvent"("at");
