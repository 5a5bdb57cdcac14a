import { AppError, assertMunicipalityCode } from '@hub/service-kit';
import type { Prisma } from '../generated/prisma/client.js';

export type WorkerFilter = { skill?: string | null; municipalityCode?: string | null };

/** A skill code matches through the GIN index on worker.skills (jsonb @>). */
export function workerWhere(filter: WorkerFilter | null | undefined): Prisma.WorkerWhereInput {
  if (!filter) return {};
  const where: Prisma.WorkerWhereInput = {};
  const skill = filter.skill?.trim();
  if (filter.skill != null && !skill) {
    throw new AppError(
      'BAD_USER_INPUT',
      'スキルコードを入力してください (skill must not be empty)',
      {
        field: 'filter.skill',
      },
    );
  }
  if (skill) where.skills = { array_contains: [{ code: skill }] };
  if (filter.municipalityCode != null) {
    assertMunicipalityCode(filter.municipalityCode, 'filter.municipalityCode');
    where.municipalityCode = filter.municipalityCode;
  }
  return where;
}
