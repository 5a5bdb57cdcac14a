-- Read models of spaces' facts (spaces, home spaces, networks, satellite leases) and of the referral
-- graph, fed by events only (docs/matching.md, "Read models").
-- CreateTable
CREATE TABLE "space" (
    "space_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "municipality_code" TEXT NOT NULL,
    "operator_id" UUID,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_pkey" PRIMARY KEY ("space_id")
);

-- CreateTable
CREATE TABLE "home_space" (
    "membership_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "municipality_code" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "home_space_pkey" PRIMARY KEY ("membership_id")
);

-- CreateTable
CREATE TABLE "space_network" (
    "network_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_network_pkey" PRIMARY KEY ("network_id")
);

-- CreateTable
CREATE TABLE "network_site" (
    "network_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "minimum_plan" TEXT NOT NULL,

    CONSTRAINT "network_site_pkey" PRIMARY KEY ("network_id","space_id")
);

-- CreateTable
CREATE TABLE "satellite_lease" (
    "lease_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "tenant_organization_id" UUID NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "satellite_lease_pkey" PRIMARY KEY ("lease_id")
);

-- CreateTable
CREATE TABLE "referral" (
    "member_id" UUID NOT NULL,
    "referred_by_id" UUID,
    "profile_visibility" TEXT NOT NULL,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_pkey" PRIMARY KEY ("member_id")
);

-- CreateIndex
CREATE INDEX "space_operator_id_idx" ON "space"("operator_id");

-- CreateIndex
CREATE INDEX "space_municipality_code_idx" ON "space"("municipality_code");

-- CreateIndex
CREATE INDEX "home_space_member_id_idx" ON "home_space"("member_id");

-- CreateIndex
CREATE INDEX "home_space_space_id_idx" ON "home_space"("space_id");

-- CreateIndex
CREATE INDEX "network_site_space_id_idx" ON "network_site"("space_id");

-- CreateIndex
CREATE INDEX "satellite_lease_tenant_organization_id_idx" ON "satellite_lease"("tenant_organization_id");

-- CreateIndex
CREATE INDEX "satellite_lease_space_id_idx" ON "satellite_lease"("space_id");

-- CreateIndex
CREATE INDEX "referral_referred_by_id_idx" ON "referral"("referred_by_id");

