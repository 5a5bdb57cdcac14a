-- CreateEnum
CREATE TYPE "space_kind" AS ENUM ('coworking', 'telework-centre', 'satellite-office');

-- CreateEnum
CREATE TYPE "admission_policy" AS ENUM ('open-to-all', 'screened-by-aspiration');

-- CreateEnum
CREATE TYPE "space_status" AS ENUM ('planned', 'open', 'closed');

-- CreateEnum
CREATE TYPE "facility" AS ENUM ('wifi', 'tv-conference', 'projector', 'meeting-room', 'booth', 'lockers', 'kitchen', 'access-control', 'shared-desks', 'coworking-area', 'training-room', 'satellite-offices', 'printer', 'parking');

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

-- CreateTable
CREATE TABLE "municipality" (
    "code" CHAR(6) NOT NULL,
    "name" TEXT NOT NULL,
    "name_kana" TEXT,
    "name_en" TEXT,
    "prefecture" TEXT NOT NULL,

    CONSTRAINT "municipality_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "space" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_kana" TEXT,
    "name_en" TEXT,
    "kind" "space_kind" NOT NULL,
    "status" "space_status" NOT NULL DEFAULT 'open',
    "municipality_code" CHAR(6) NOT NULL,
    "postal_code" TEXT,
    "address_line" TEXT,
    "building" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "facilities" "facility"[],
    "capacity" INTEGER,
    "admission_policy" "admission_policy" NOT NULL DEFAULT 'open-to-all',
    "description" TEXT,
    "description_en" TEXT,
    "house_rules" TEXT,
    "website_url" TEXT,
    "phone" TEXT,
    "opened_on" DATE,
    "operator_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "space_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_created_at_idx" ON "outbox_event"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "dead_letter_consumer_created_at_idx" ON "dead_letter"("consumer", "created_at");

-- CreateIndex
CREATE INDEX "space_municipality_code_idx" ON "space"("municipality_code");

-- CreateIndex
CREATE INDEX "space_operator_id_idx" ON "space"("operator_id");

-- AddForeignKey
ALTER TABLE "space" ADD CONSTRAINT "space_municipality_code_fkey" FOREIGN KEY ("municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
