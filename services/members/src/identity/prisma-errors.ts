import { Prisma } from '../generated/prisma/client.js';

/** A unique index refused the row (P2002) — how concurrent duplicates are detected. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
