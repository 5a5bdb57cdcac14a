-- CreateTable
CREATE TABLE "member_consent" (
    "member_id" UUID NOT NULL,
    "recipient_organization_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "notice_version" TEXT,
    "granted_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "source_event_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_consent_pkey" PRIMARY KEY ("member_id","recipient_organization_id","purpose")
);

-- CreateIndex
CREATE INDEX "member_consent_recipient_organization_id_purpose_idx" ON "member_consent"("recipient_organization_id", "purpose");

