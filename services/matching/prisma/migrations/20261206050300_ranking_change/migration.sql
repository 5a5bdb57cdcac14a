-- CreateTable
CREATE TABLE "ranking_change" (
    "seq" BIGSERIAL NOT NULL,
    "member_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ranking_change_pkey" PRIMARY KEY ("seq")
);
