-- CreateEnum
CREATE TYPE "work_category" AS ENUM ('web-site-building', 'data-entry', 'office-processing', 'design', 'writing', 'translation', 'programming', 'video', 'other');

-- CreateEnum
CREATE TYPE "volume_unit" AS ENUM ('hours', 'units');

-- CreateEnum
CREATE TYPE "pay_model" AS ENUM ('hourly', 'per-unit', 'fixed');

-- CreateEnum
CREATE TYPE "work_order_status" AS ENUM ('open', 'assigned', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "member_kind" AS ENUM ('freelancer', 'small-business', 'student', 'founder', 'teleworker', 'employee');

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
CREATE TABLE "work_order" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "category" "work_category" NOT NULL,
    "client_id" UUID NOT NULL,
    "receiving_centre_id" UUID,
    "volume" INTEGER NOT NULL,
    "volume_unit" "volume_unit" NOT NULL,
    "pay_model" "pay_model" NOT NULL,
    "rate" INTEGER NOT NULL,
    "deadline" TIMESTAMPTZ(3),
    "requires_on_site" BOOLEAN NOT NULL DEFAULT false,
    "status" "work_order_status" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_skill" (
    "work_order_id" UUID NOT NULL,
    "skill_code" TEXT NOT NULL,
    "minimum_level" SMALLINT NOT NULL,

    CONSTRAINT "work_order_skill_pkey" PRIMARY KEY ("work_order_id","skill_code")
);

-- CreateTable
CREATE TABLE "worker" (
    "member_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "kind" "member_kind" NOT NULL,
    "municipality_code" TEXT,
    "skills" JSONB NOT NULL DEFAULT '[]',
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_pkey" PRIMARY KEY ("member_id")
);

-- CreateIndex
CREATE INDEX "outbox_event_sent_at_created_at_idx" ON "outbox_event"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "dead_letter_consumer_created_at_idx" ON "dead_letter"("consumer", "created_at");

-- CreateIndex
CREATE INDEX "work_order_client_id_idx" ON "work_order"("client_id");

-- CreateIndex
CREATE INDEX "work_order_receiving_centre_id_idx" ON "work_order"("receiving_centre_id");

-- CreateIndex
CREATE INDEX "work_order_status_category_idx" ON "work_order"("status", "category");

-- CreateIndex
CREATE INDEX "work_order_skill_skill_code_idx" ON "work_order_skill"("skill_code");

-- CreateIndex
CREATE INDEX "worker_municipality_code_idx" ON "worker"("municipality_code");

-- CreateIndex
CREATE INDEX "worker_skills_idx" ON "worker" USING GIN ("skills" jsonb_path_ops);

-- AddForeignKey
ALTER TABLE "work_order_skill" ADD CONSTRAINT "work_order_skill_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
