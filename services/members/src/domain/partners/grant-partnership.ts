import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import { type Partnership, Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { writeAuditEntry } from '../privacy/audit-entries.js';
import type { PartnerActor } from './partner-actor.js';
import { ceilingFields, lockedPartnership, ZPartnerCeiling } from './partner-ceiling.js';

export const PARTNER_BASES = ['MUNICIPALITY', 'PUBLIC_BODY', 'ON_REQUEST'] as const;

export const ZGrantPartnership = z.intersection(
  z.object({ organizationId: z.uuid(), basis: z.enum(PARTNER_BASES) }),
  ZPartnerCeiling,
);
export type TGrantPartnership = z.input<typeof ZGrantPartnership>;

const alreadyPartner = () =>
  new AppError(
    'CONFLICT',
    'この組織はすでにパートナーです。範囲の変更は updatePartnership で (already a partner; change its ceiling with updatePartnership)',
    { field: 'organizationId' },
  );

/**
 * Makes an organisation a partner (hub admins only): its admins may then mint keys within the
 * ceiling, and members may consent to it receiving their data for its purposes. An
 * organisation whose status was withdrawn may be granted it again; its old keys stay revoked.
 */
export async function grantPartnership(
  prisma: PrismaClient,
  input: unknown,
  actor: PartnerActor,
  now = new Date(),
): Promise<Partnership> {
  const fields = parseInput(ZGrantPartnership, input);
  const ceiling = {
    basis: fields.basis,
    scopes: [...new Set(fields.scopes)],
    purposes: [...new Set(fields.purposes)],
  };
  try {
    return await prisma.$transaction(async (tx) => {
      const organization = await tx.organization.findUnique({
        where: { id: fields.organizationId },
        select: { kind: true },
      });
      if (!organization) {
        throw new AppError('NOT_FOUND', '組織が見つかりません (organization not found)', {
          field: 'organizationId',
        });
      }
      // The one basis that is a plain fact about the organisation; "public body" and "on
      // request" are the hub's judgement (a city-owned company is a public body, for one).
      if (fields.basis === 'MUNICIPALITY' && organization.kind !== 'MUNICIPALITY') {
        throw new AppError(
          'BAD_USER_INPUT',
          '自治体としての指定は種別が自治体の組織のみです (basis MUNICIPALITY needs an organization of kind MUNICIPALITY)',
          { field: 'basis' },
        );
      }
      const existing = await lockedPartnership(tx, fields.organizationId, 'update');
      if (existing && existing.withdrawnAt === null) throw alreadyPartner();
      const data = {
        ...ceiling,
        grantedAt: now,
        grantedById: actor.memberId,
        updatedAt: now,
        withdrawnAt: null,
      };
      const partnership = existing
        ? await tx.partnership.update({ where: { organizationId: fields.organizationId }, data })
        : await tx.partnership.create({ data: { organizationId: fields.organizationId, ...data } });
      await writeAuditEntry(tx, {
        action: 'PARTNERSHIP_GRANTED',
        memberId: null,
        organizationId: fields.organizationId,
        actorMemberId: actor.memberId,
        fields: ceilingFields(ceiling),
        requestId: actor.requestId,
        at: now,
      });
      return partnership;
    });
  } catch (error) {
    // Two first grants at once: the primary key decides, the loser is told as above.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw alreadyPartner();
    }
    throw error;
  }
}
