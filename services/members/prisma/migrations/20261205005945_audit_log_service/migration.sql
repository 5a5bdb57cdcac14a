-- AlterTable
ALTER TABLE "audit_log_entry" ADD COLUMN     "service" TEXT NOT NULL DEFAULT 'members';

