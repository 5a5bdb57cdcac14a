-- AlterTable
ALTER TABLE "affiliation" ADD COLUMN     "confirmed_at" TIMESTAMP(3);

-- Existing affiliations were created by admins or seeds: they count as confirmed.
UPDATE "affiliation" SET "confirmed_at" = "created_at";
