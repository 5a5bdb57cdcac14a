-- CreateEnum
CREATE TYPE "patrol_need" AS ENUM ('work', 'skills-training', 'funding', 'starting-business', 'equipment', 'community', 'other');

-- CreateEnum
CREATE TYPE "patrol_request_kind" AS ENUM ('consultation', 'expert-dispatch');

-- CreateTable
CREATE TABLE "patrol_visit" (
    "id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "supporter_id" UUID NOT NULL,
    "visited_on" DATE NOT NULL,
    "visitor_ids" UUID[],
    "notes" TEXT,
    "needs" "patrol_need"[],
    "public_summary" TEXT,
    "summary_confirmed_at" TIMESTAMP(3),
    "recorded_by" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patrol_visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patrol_request" (
    "id" UUID NOT NULL,
    "visit_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "patrol_request_kind" NOT NULL,
    "subject" TEXT NOT NULL,
    "requester_member_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patrol_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "patrol_visit_space_id_visited_on_idx" ON "patrol_visit"("space_id", "visited_on");

-- CreateIndex
CREATE INDEX "patrol_visit_supporter_id_visited_on_idx" ON "patrol_visit"("supporter_id", "visited_on");

-- CreateIndex
CREATE INDEX "patrol_request_requester_member_id_idx" ON "patrol_request"("requester_member_id");

-- CreateIndex
CREATE UNIQUE INDEX "patrol_request_visit_id_position_key" ON "patrol_request"("visit_id", "position");

-- AddForeignKey
ALTER TABLE "patrol_visit" ADD CONSTRAINT "patrol_visit_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patrol_request" ADD CONSTRAINT "patrol_request_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "patrol_visit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

