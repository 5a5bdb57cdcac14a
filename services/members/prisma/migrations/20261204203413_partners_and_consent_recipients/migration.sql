-- Partner status and consent recipients (issue 6). Fail closed for what existed before:
-- consents recorded so far name no recipient (recipient_organization_id stays NULL) and let
-- no partner read; no organisation is a partner yet, so existing API keys are refused by the
-- verification route until a hub admin grants their organisation partner status.

-- CreateEnum
CREATE TYPE "partner_basis" AS ENUM ('municipality', 'public-body', 'on-request');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "audit_action" ADD VALUE 'partnership-granted';
ALTER TYPE "audit_action" ADD VALUE 'partnership-updated';
ALTER TYPE "audit_action" ADD VALUE 'partnership-withdrawn';

-- DropIndex
DROP INDEX "consent_member_id_purpose_idx";

-- AlterTable
ALTER TABLE "consent" ADD COLUMN     "recipient_organization_id" UUID;

-- CreateTable
CREATE TABLE "partnership" (
    "organization_id" UUID NOT NULL,
    "basis" "partner_basis" NOT NULL,
    "scopes" TEXT[],
    "purposes" TEXT[],
    "granted_at" TIMESTAMP(3) NOT NULL,
    "granted_by_id" UUID,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "withdrawn_at" TIMESTAMP(3),

    CONSTRAINT "partnership_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "consent_member_id_recipient_organization_id_purpose_idx" ON "consent"("member_id", "recipient_organization_id", "purpose");

-- CreateIndex
CREATE INDEX "consent_recipient_organization_id_idx" ON "consent"("recipient_organization_id");

-- AddForeignKey
ALTER TABLE "consent" ADD CONSTRAINT "consent_recipient_organization_id_fkey" FOREIGN KEY ("recipient_organization_id") REFERENCES "organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partnership" ADD CONSTRAINT "partnership_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

