-- CreateTable
CREATE TABLE "worker_affiliation" (
    "affiliation_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_affiliation_pkey" PRIMARY KEY ("affiliation_id")
);

-- CreateIndex
CREATE INDEX "worker_affiliation_member_id_organization_id_idx" ON "worker_affiliation"("member_id", "organization_id");

-- CreateIndex
CREATE INDEX "worker_affiliation_organization_id_idx" ON "worker_affiliation"("organization_id");

