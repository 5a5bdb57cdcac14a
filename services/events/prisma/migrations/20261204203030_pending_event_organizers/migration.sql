-- Links naming another organisation take effect once that organisation confirms them
-- (docs/authorization.md). Organisers named before this migration stay in organizer_ids: they
-- were published by hub admins, their own staff or the demo data, so they count as confirmed.
-- AlterTable
ALTER TABLE "event" ADD COLUMN     "pending_organizer_ids" UUID[] DEFAULT ARRAY[]::UUID[];

-- CreateIndex
CREATE INDEX "event_pending_organizer_ids_idx" ON "event" USING GIN ("pending_organizer_ids");

