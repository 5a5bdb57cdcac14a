import { AppError } from '@hub/service-kit';
import type { PrismaClient, Space } from '../generated/prisma/client.js';
import { parseSpaceFields, toDbDate, ZSpaceFields } from './space-input.js';

const ZSpaceUpdate = ZSpaceFields.partial();

/** Changes the given fields of a space; fields left out stay as they are. */
export async function updateSpace(
  prisma: PrismaClient,
  id: string,
  input: unknown,
): Promise<Space> {
  const fields = parseSpaceFields(ZSpaceUpdate, input);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.space.findUnique({ where: { id }, select: { id: true } });
    if (!existing)
      throw new AppError('NOT_FOUND', `拠点 ${id} が見つかりません (space not found)`, {
        field: 'id',
      });
    if (fields.municipalityCode) {
      const municipality = await tx.municipality.findUnique({
        where: { code: fields.municipalityCode },
      });
      if (!municipality) {
        throw new AppError(
          'UNKNOWN_MUNICIPALITY',
          `市町村コード「${fields.municipalityCode}」は登録されていません (unknown municipality)`,
          {
            field: 'municipalityCode',
          },
        );
      }
    }
    return tx.space.update({
      where: { id },
      data: { ...fields, openedOn: toDbDate(fields.openedOn) },
    });
  });
}
