-- AlterTable
ALTER TABLE "worker" ADD COLUMN     "available_hours_per_week" SMALLINT;

-- CreateTable
CREATE TABLE "erased_member" (
    "member_id" UUID NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "erased_member_pkey" PRIMARY KEY ("member_id")
);

