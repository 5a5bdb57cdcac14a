-- A consortium membership takes effect once the member organisation's staff made it or its
-- admin confirms it (docs/authorization.md, "Links that name another organisation").
-- AlterTable
ALTER TABLE "consortium_membership" ADD COLUMN     "confirmed_at" TIMESTAMP(3),
ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "consortium_membership_member_organization_id_idx" ON "consortium_membership"("member_organization_id");


-- Memberships recorded before the rule were made by hub admins or the demo data (SCS and the
-- other official consortia): they count as confirmed so current data keeps working.
UPDATE "consortium_membership" SET "confirmed_at" = "created_at";
