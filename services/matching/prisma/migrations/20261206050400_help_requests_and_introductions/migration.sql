-- CreateEnum
CREATE TYPE "help_request_status" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "help_request_visibility" AS ENUM ('asker-and-admins', 'members');

-- CreateEnum
CREATE TYPE "introduction_answer" AS ENUM ('pending', 'accepted', 'declined');

-- AlterTable
ALTER TABLE "worker" ADD COLUMN     "profile_visibility" TEXT;

-- CreateTable
CREATE TABLE "help_request" (
    "id" UUID NOT NULL,
    "asker_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "municipality_code" TEXT,
    "space_id" UUID,
    "visible_to" "help_request_visibility" NOT NULL DEFAULT 'asker-and-admins',
    "status" "help_request_status" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "help_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "help_request_skill" (
    "help_request_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "min_level" SMALLINT NOT NULL,

    CONSTRAINT "help_request_skill_pkey" PRIMARY KEY ("help_request_id","code")
);

-- CreateTable
CREATE TABLE "introduction" (
    "id" UUID NOT NULL,
    "member_a_id" UUID NOT NULL,
    "member_b_id" UUID NOT NULL,
    "introduced_by_id" UUID NOT NULL,
    "organization_id" UUID,
    "note" TEXT NOT NULL,
    "member_a_answer" "introduction_answer" NOT NULL DEFAULT 'pending',
    "member_b_answer" "introduction_answer" NOT NULL DEFAULT 'pending',
    "member_a_answered_at" TIMESTAMPTZ(3),
    "member_b_answered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "introduction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "help_request_asker_id_created_at_idx" ON "help_request"("asker_id", "created_at");

-- CreateIndex
CREATE INDEX "introduction_member_a_id_created_at_idx" ON "introduction"("member_a_id", "created_at");

-- CreateIndex
CREATE INDEX "introduction_member_b_id_created_at_idx" ON "introduction"("member_b_id", "created_at");

-- CreateIndex
CREATE INDEX "introduction_introduced_by_id_idx" ON "introduction"("introduced_by_id");

-- AddForeignKey
ALTER TABLE "help_request_skill" ADD CONSTRAINT "help_request_skill_help_request_id_fkey" FOREIGN KEY ("help_request_id") REFERENCES "help_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Rules the schema cannot say: levels 1..5, two different members, a value members may send.
ALTER TABLE "help_request_skill" ADD CONSTRAINT "help_request_skill_min_level_check" CHECK ("min_level" BETWEEN 1 AND 5);
ALTER TABLE "introduction" ADD CONSTRAINT "introduction_two_members_check" CHECK ("member_a_id" <> "member_b_id");
ALTER TABLE "worker" ADD CONSTRAINT "worker_profile_visibility_check" CHECK ("profile_visibility" IN ('PUBLIC', 'MEMBERS', 'STAFF'));
