-- Issue 11: the full life of a work order. New values get their own migration: Postgres lets a
-- transaction use an enum value only after the one that added it has committed.
ALTER TYPE "work_order_status" ADD VALUE IF NOT EXISTS 'draft' BEFORE 'open';
ALTER TYPE "work_order_status" ADD VALUE IF NOT EXISTS 'assigning' AFTER 'open';
ALTER TYPE "work_order_status" ADD VALUE IF NOT EXISTS 'in-progress' AFTER 'assigning';
ALTER TYPE "work_order_status" ADD VALUE IF NOT EXISTS 'delivered' AFTER 'in-progress';
ALTER TYPE "work_order_status" ADD VALUE IF NOT EXISTS 'closed' AFTER 'delivered';
