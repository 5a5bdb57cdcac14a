-- CreateIndex
CREATE INDEX "visit_space_id_checked_in_at_idx" ON "visit"("space_id", "checked_in_at");

