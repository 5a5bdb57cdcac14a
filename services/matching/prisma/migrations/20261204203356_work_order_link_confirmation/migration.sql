-- A work order takes effect once the organisations it names (client, receiving centre) have
-- confirmed their part (docs/authorization.md, "Links that name another organisation").
-- AlterTable
ALTER TABLE "work_order" ADD COLUMN     "client_confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "receiving_centre_confirmed_at" TIMESTAMPTZ(3);

-- Orders posted before the rule were posted by hub admins, the staff of one side or the demo
-- data, and are already public: they stay confirmed so current data keeps working.
UPDATE "work_order"
SET "client_confirmed_at" = "created_at",
    "receiving_centre_confirmed_at" = CASE WHEN "receiving_centre_id" IS NOT NULL THEN "created_at" END;
