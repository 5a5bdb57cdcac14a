import { type CommitContext, commit } from '@hub/event-bus';
import { AppError } from '@hub/service-kit';
import type { PrismaClient, Space } from '../generated/prisma/client.js';
import { ensureCapacityHolds } from './presence.js';
import { eventsOfChange } from './space-events.js';
import { parseSpaceFields, spaceData, ZSpaceFields } from './space-input.js';

const ZSpaceUpdate = ZSpaceFields.partial();

/**
 * Changes the given fields of a space; fields left out stay as they are. Any change (hours,
 * prices, location … as well as the operator or status) is announced with
 * `spaces.space.updated` in the same transaction, and a move to OPEN with `spaces.space.opened`.
 */
export async function updateSpace(
  db: CommitContext<PrismaClient>,
  id: string,
  input: unknown,
): Promise<Space> {
  const fields = parseSpaceFields(ZSpaceUpdate, input);
  return commit(db, async (tx, emit) => {
    // Locked: of two concurrent changes, the second reads the first's result and stamps its
    // event later, so consumers (which keep the newest event's facts) end with what is stored.
    await tx.$queryRaw`SELECT 1 FROM space WHERE id = ${id}::uuid FOR UPDATE`;
    const existing = await tx.space.findUnique({ where: { id } });
    if (!existing)
      throw new AppError('NOT_FOUND', `拠点 ${id} が見つかりません (space not found)`, {
        field: 'id',
      });
    await ensureCapacityHolds(tx, fields.capacity, { spaceId: id });
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
    const updated = await tx.space.update({ where: { id }, data: spaceData(fields, existing) });
    for (const event of eventsOfChange(existing, updated)) emit(event);
    return updated;
  });
}
