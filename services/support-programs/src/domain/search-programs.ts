import type { Prisma, ProgramKind, ProgramStatus } from '../generated/prisma/client.js';

export type ProgramFilter = {
  kind?: ProgramKind | null;
  providerId?: string | null;
  spaceId?: string | null;
  status?: ProgramStatus | null;
};

/** Turns a filter into a Prisma condition (the kit has refused ids that are not UUIDs). */
export function programWhere(filter: ProgramFilter | null | undefined): Prisma.ProgramWhereInput {
  if (!filter) return {};
  const where: Prisma.ProgramWhereInput = {};
  if (filter.kind) where.kind = filter.kind;
  if (filter.providerId) where.providerId = filter.providerId;
  if (filter.spaceId) where.spaceId = filter.spaceId;
  if (filter.status) where.status = filter.status;
  return where;
}
