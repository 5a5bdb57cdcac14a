-- CreateTable
CREATE TABLE "ranking_weights" (
    "centre_organization_id" UUID NOT NULL,
    "weights" JSONB NOT NULL,
    "updated_by" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ranking_weights_pkey" PRIMARY KEY ("centre_organization_id")
);

