-- CreateIndex
CREATE INDEX "audit_log_entry_organization_id_at_idx" ON "audit_log_entry"("organization_id", "at");
