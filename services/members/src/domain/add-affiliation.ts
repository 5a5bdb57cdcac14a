import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Affiliation, PrismaClient } from '../generated/prisma/client.js';

export const ZAddAffiliation = z
  .object({
    id: z.uuid().optional(),
    memberId: z.uuid(),
    organizationId: z.uuid(),
    role: z.enum(['STAFF', 'COORDINATOR', 'LEADER', 'EXPERT', 'ADMIN', 'CONTACT']),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().nullish(),
  })
  .refine((a) => !a.endsOn || a.endsOn >= a.startsOn, {
    message: '終了日は開始日以降にしてください (endsOn must not precede startsOn)',
    path: ['endsOn'],
  });

/** Records that a member holds a role at an organization from a date (history is never overwritten). */
export async function addAffiliation(prisma: PrismaClient, input: unknown): Promise<Affiliation> {
  const fields = parseInput(ZAddAffiliation, input);
  const [member, organization] = await Promise.all([
    prisma.member.findUnique({ where: { id: fields.memberId }, select: { id: true } }),
    prisma.organization.findUnique({ where: { id: fields.organizationId }, select: { id: true } }),
  ]);
  if (!member)
    throw new AppError('NOT_FOUND', 'メンバーが見つかりません (member not found)', {
      field: 'memberId',
    });
  if (!organization)
    throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
      field: 'organizationId',
    });
  return prisma.affiliation.create({
    data: {
      ...fields,
      startsOn: new Date(`${fields.startsOn}T00:00:00Z`),
      endsOn: fields.endsOn ? new Date(`${fields.endsOn}T00:00:00Z`) : null,
    },
  });
}
