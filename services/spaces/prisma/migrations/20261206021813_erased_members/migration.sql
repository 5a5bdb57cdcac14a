-- CreateTable
CREATE TABLE "erased_member" (
    "member_id" UUID NOT NULL,
    "erased_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "erased_member_pkey" PRIMARY KEY ("member_id")
);

