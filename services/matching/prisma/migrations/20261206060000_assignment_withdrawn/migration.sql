-- An assignment still open when its order is cancelled is withdrawn (docs/matching.md).
ALTER TYPE "assignment_status" ADD VALUE 'withdrawn';
