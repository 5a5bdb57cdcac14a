-- CreateEnum
CREATE TYPE "member_kind" AS ENUM ('freelancer', 'small-business', 'student', 'founder', 'teleworker', 'employee');

-- CreateEnum
CREATE TYPE "organization_kind" AS ENUM ('government-bureau', 'municipality', 'bank', 'university', 'public-finance-corporation', 'cooperative', 'consortium', 'space-operator', 'client-company', 'nonprofit');

-- CreateEnum
CREATE TYPE "affiliation_role" AS ENUM ('staff', 'coordinator', 'leader', 'expert', 'admin', 'contact');

-- CreateTable
CREATE TABLE "member" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "display_name_kana" TEXT,
    "kind" "member_kind" NOT NULL,
    "bio" TEXT,
    "aspiration" TEXT,
    "municipality_code" CHAR(6),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member_skill" (
    "member_id" UUID NOT NULL,
    "skill_code" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "is_verified" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "member_skill_pkey" PRIMARY KEY ("member_id","skill_code")
);

-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_kana" TEXT,
    "name_en" TEXT,
    "kind" "organization_kind" NOT NULL,
    "municipality_code" CHAR(6),
    "corporate_number" CHAR(13),
    "description" TEXT,
    "website_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consortium_membership" (
    "consortium_id" UUID NOT NULL,
    "member_organization_id" UUID NOT NULL,
    "joined_on" DATE,

    CONSTRAINT "consortium_membership_pkey" PRIMARY KEY ("consortium_id","member_organization_id")
);

-- CreateTable
CREATE TABLE "affiliation" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "role" "affiliation_role" NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "abandoned_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "dead_letter" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "delivery_count" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "member_municipality_code_idx" ON "member"("municipality_code");

-- CreateIndex
CREATE INDEX "member_skill_skill_code_idx" ON "member_skill"("skill_code");

-- CreateIndex
CREATE UNIQUE INDEX "organization_corporate_number_key" ON "organization"("corporate_number");

-- CreateIndex
CREATE INDEX "organization_kind_idx" ON "organization"("kind");

-- CreateIndex
CREATE INDEX "affiliation_member_id_idx" ON "affiliation"("member_id");

-- CreateIndex
CREATE INDEX "affiliation_organization_id_idx" ON "affiliation"("organization_id");

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_created_at_idx" ON "outbox_event"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "dead_letter_consumer_created_at_idx" ON "dead_letter"("consumer", "created_at");

-- AddForeignKey
ALTER TABLE "member_skill" ADD CONSTRAINT "member_skill_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consortium_membership" ADD CONSTRAINT "consortium_membership_consortium_id_fkey" FOREIGN KEY ("consortium_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consortium_membership" ADD CONSTRAINT "consortium_membership_member_organization_id_fkey" FOREIGN KEY ("member_organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
