-- CreateEnum
CREATE TYPE "room_kind" AS ENUM ('common-area', 'meeting-room', 'satellite-office');

-- CreateTable
CREATE TABLE "room" (
    "id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "kind" "room_kind" NOT NULL,
    "capacity" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "room_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "satellite_lease" (
    "id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "tenant_organization_id" UUID NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "satellite_lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member_affiliation" (
    "affiliation_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "source_event_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "member_affiliation_pkey" PRIMARY KEY ("affiliation_id")
);

-- CreateIndex
CREATE INDEX "room_space_id_idx" ON "room"("space_id");

-- CreateIndex
CREATE INDEX "satellite_lease_room_id_starts_on_idx" ON "satellite_lease"("room_id", "starts_on");

-- CreateIndex
CREATE INDEX "satellite_lease_tenant_organization_id_idx" ON "satellite_lease"("tenant_organization_id");

-- CreateIndex
CREATE INDEX "member_affiliation_member_id_organization_id_idx" ON "member_affiliation"("member_id", "organization_id");

-- AddForeignKey
ALTER TABLE "room" ADD CONSTRAINT "room_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "satellite_lease" ADD CONSTRAINT "satellite_lease_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "room"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

