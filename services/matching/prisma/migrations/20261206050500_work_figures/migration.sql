-- Municipality.workFigures: where organisations are located (members.organization.created),
-- and the municipality of an erased member's work kept with it.
CREATE TABLE "organization_place" (
    "organization_id" UUID NOT NULL,
    "municipality_code" TEXT,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organization_place_pkey" PRIMARY KEY ("organization_id")
);

CREATE INDEX "organization_place_municipality_code_idx" ON "organization_place"("municipality_code");

ALTER TABLE "assignment" ADD COLUMN "erased_member_municipality_code" TEXT;
