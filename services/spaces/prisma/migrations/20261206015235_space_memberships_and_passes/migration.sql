-- CreateEnum
CREATE TYPE "membership_plan" AS ENUM ('drop-in', 'monthly', 'resident', 'tenant-staff');

-- CreateEnum
CREATE TYPE "space_network_kind" AS ENUM ('visa', 'common-ticket', 'linked-sites');

-- CreateTable
CREATE TABLE "space_membership" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "plan" "membership_plan" NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "space_membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "space_network" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "kind" "space_network_kind" NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "space_network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "space_network_site" (
    "network_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "free_days_per_month" INTEGER NOT NULL,
    "discount_percent" INTEGER NOT NULL DEFAULT 0,
    "notice_days" INTEGER NOT NULL DEFAULT 0,
    "minimum_plan" "membership_plan" NOT NULL DEFAULT 'drop-in',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_network_site_pkey" PRIMARY KEY ("network_id","space_id")
);

-- CreateTable
CREATE TABLE "pass" (
    "id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "membership_id" UUID NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pass_redemption" (
    "id" UUID NOT NULL,
    "pass_id" UUID NOT NULL,
    "host_space_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pass_redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "space_membership_member_id_idx" ON "space_membership"("member_id");

-- CreateIndex
CREATE INDEX "space_membership_space_id_idx" ON "space_membership"("space_id");

-- CreateIndex
CREATE INDEX "space_network_site_space_id_idx" ON "space_network_site"("space_id");

-- CreateIndex
CREATE INDEX "pass_member_id_idx" ON "pass"("member_id");

-- CreateIndex
CREATE INDEX "pass_network_id_idx" ON "pass"("network_id");

-- CreateIndex
CREATE INDEX "pass_redemption_host_space_id_date_idx" ON "pass_redemption"("host_space_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "pass_redemption_pass_id_date_key" ON "pass_redemption"("pass_id", "date");

-- AddForeignKey
ALTER TABLE "space_membership" ADD CONSTRAINT "space_membership_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_network_site" ADD CONSTRAINT "space_network_site_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "space_network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_network_site" ADD CONSTRAINT "space_network_site_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pass" ADD CONSTRAINT "pass_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "space_network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pass" ADD CONSTRAINT "pass_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "space_membership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pass_redemption" ADD CONSTRAINT "pass_redemption_pass_id_fkey" FOREIGN KEY ("pass_id") REFERENCES "pass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pass_redemption" ADD CONSTRAINT "pass_redemption_host_space_id_fkey" FOREIGN KEY ("host_space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The domain checks these too (typed errors); the constraints keep any other writer honest.
ALTER TABLE "space_membership" ADD CONSTRAINT "space_membership_period" CHECK ("ends_on" IS NULL OR "ends_on" >= "starts_on");
ALTER TABLE "space_network_site" ADD CONSTRAINT "space_network_site_terms" CHECK ("free_days_per_month" BETWEEN 0 AND 31 AND "discount_percent" BETWEEN 0 AND 100 AND "notice_days" BETWEEN 0 AND 365);
ALTER TABLE "pass" ADD CONSTRAINT "pass_validity" CHECK ("valid_until" >= "valid_from");
