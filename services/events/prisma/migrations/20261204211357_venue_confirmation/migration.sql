-- A venue at a space takes effect once the space's operator has had its say
-- (docs/authorization.md, "Links that name another organisation"); until then confirmed_at is
-- null. Venues listed before this migration were published under the old rule and have been
-- shown as they are, so they stay in effect: confirmed as of their event's creation.
-- AlterTable
ALTER TABLE "event_venue" ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "publisher_organization_ids" UUID[] DEFAULT ARRAY[]::UUID[];

-- CreateTable
CREATE TABLE "space_operator" (
    "space_id" UUID NOT NULL,
    "operator_id" UUID,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_operator_pkey" PRIMARY KEY ("space_id")
);

-- CreateIndex
CREATE INDEX "space_operator_operator_id_idx" ON "space_operator"("operator_id");


-- Every existing venue (at a space or an outside place) counts as confirmed.
UPDATE "event_venue" v SET "confirmed_at" = e."created_at" FROM "event" e WHERE e."id" = v."event_id";
