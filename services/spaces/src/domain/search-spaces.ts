import type { Facility, Prisma, SpaceKind, SpaceStatus } from '../generated/prisma/client.js';

export type SpaceFilter = {
  text?: string | null;
  municipalityCode?: string | null;
  prefecture?: string | null;
  kind?: SpaceKind | null;
  status?: SpaceStatus | null;
  facilities?: Facility[] | null;
};

/** Turns a search filter into a Prisma condition; text matches names (ja, kana, en) and address. */
export function spaceWhere(filter: SpaceFilter | null | undefined): Prisma.SpaceWhereInput {
  if (!filter) return {};
  const text = filter.text?.trim();
  const where: Prisma.SpaceWhereInput = {};
  if (filter.municipalityCode) where.municipalityCode = filter.municipalityCode;
  if (filter.prefecture) where.municipality = { prefecture: filter.prefecture };
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (filter.facilities?.length) where.facilities = { hasEvery: filter.facilities };
  if (text) {
    where.OR = (['name', 'nameKana', 'nameEn', 'addressLine'] as const).map((column) => ({
      [column]: { contains: text, mode: 'insensitive' },
    }));
  }
  return where;
}
