-- Issue 11: delegation trees, team roles, hours per unit and assignments.

-- Stored orders in the statuses no longer produced take their successors (the GraphQL enum
-- keeps the old values, deprecated, so clients keep working).
UPDATE "work_order" SET "status" = 'assigning' WHERE "status" = 'assigned';
UPDATE "work_order" SET "status" = 'closed' WHERE "status" = 'done';

-- CreateEnum
CREATE TYPE "assignment_role" AS ENUM ('worker', 'leader', 'reviewer');
CREATE TYPE "assignment_status" AS ENUM ('offered', 'accepted', 'declined', 'in-progress', 'done');

-- AlterTable
ALTER TABLE "work_order" ADD COLUMN "hours_per_unit" DECIMAL(7,2),
ADD COLUMN "roles" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "parent_id" UUID,
ADD COLUMN "root_id" UUID,
ADD COLUMN "leader_member_id" UUID,
ADD COLUMN "delegation_note" TEXT;

-- Every order so far was placed by a client: each is the root of its own tree.
UPDATE "work_order" SET "root_id" = "id";

ALTER TABLE "work_order" ADD CONSTRAINT "work_order_hours_per_unit_check" CHECK ("hours_per_unit" IS NULL OR "hours_per_unit" > 0);
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_roles_is_array" CHECK (jsonb_typeof("roles") = 'array');

-- CreateTable
CREATE TABLE "assignment" (
    "id" UUID NOT NULL,
    "work_order_id" UUID NOT NULL,
    "member_id" UUID,
    "role" "assignment_role" NOT NULL,
    "allocated_volume" INTEGER NOT NULL,
    "allocated_hours" DECIMAL(12,2) NOT NULL,
    "status" "assignment_status" NOT NULL DEFAULT 'offered',
    "delivered_volume" INTEGER,
    "rating" SMALLINT,
    "rated_by" UUID,
    "offered_by" UUID,
    "period_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "assignment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assignment_allocated_volume_check" CHECK ("allocated_volume" > 0),
    CONSTRAINT "assignment_delivered_volume_check" CHECK ("delivered_volume" IS NULL OR "delivered_volume" >= 0),
    CONSTRAINT "assignment_rating_check" CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5)
);

-- CreateIndex
CREATE INDEX "work_order_parent_id_idx" ON "work_order"("parent_id");
CREATE INDEX "work_order_root_id_idx" ON "work_order"("root_id");
CREATE INDEX "work_order_leader_member_id_idx" ON "work_order"("leader_member_id");
CREATE INDEX "assignment_work_order_id_status_idx" ON "assignment"("work_order_id", "status");
CREATE INDEX "assignment_member_id_status_idx" ON "assignment"("member_id", "status");

-- AddForeignKey
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "work_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
