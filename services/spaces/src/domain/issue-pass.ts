import { dateColumn, ZTokyoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Pass, PrismaClient } from '../generated/prisma/client.js';

const ZIssuePass = z
  .object({
    id: z.uuid().optional(),
    networkId: z.uuid(),
    membershipId: z.uuid(),
    validFrom: ZTokyoDate,
    validUntil: ZTokyoDate,
  })
  .refine((input) => input.validUntil >= input.validFrom, {
    path: ['validUntil'],
    message: '有効期限が開始日より前です (valid until is before valid from)',
  });

/**
 * Issues a pass of a network to the holder of a membership at one of its spaces (their home
 * space in the network). Whether a host admits the holder's plan is the host's term, checked
 * at each redemption.
 */
export async function issuePass(db: CommitContext<PrismaClient>, input: unknown): Promise<Pass> {
  const fields = parseInput(ZIssuePass, input);
  return commit(db, async (tx) => {
    const membership = await tx.spaceMembership.findUnique({ where: { id: fields.membershipId } });
    if (!membership) {
      throw new AppError('NOT_FOUND', '会員資格が見つかりません (no such membership)', {
        field: 'membershipId',
      });
    }
    const network = await tx.spaceNetwork.findUnique({ where: { id: fields.networkId } });
    if (!network) {
      throw new AppError('NOT_FOUND', 'ネットワークが見つかりません (no such network)', {
        field: 'networkId',
      });
    }
    const home = await tx.spaceNetworkSite.findUnique({
      where: { networkId_spaceId: { networkId: network.id, spaceId: membership.spaceId } },
    });
    if (!home) {
      throw new AppError(
        'PASS_NOT_ELIGIBLE',
        '会員資格のある拠点がこのネットワークに入っていません (the membership’s space is not in this network)',
        { field: 'membershipId' },
      );
    }
    const validFrom = dateColumn(fields.validFrom);
    const validUntil = dateColumn(fields.validUntil);
    const outlives =
      membership.startsOn > validFrom ||
      (membership.endsOn !== null && membership.endsOn < validUntil);
    if (outlives) {
      throw new AppError(
        'PASS_NOT_ELIGIBLE',
        'パスの有効期間が会員資格の期間を超えています (the pass would be valid beyond the membership)',
        { field: 'validUntil' },
      );
    }
    return tx.pass.create({
      data: {
        ...(fields.id ? { id: fields.id } : {}),
        networkId: network.id,
        memberId: membership.memberId,
        membershipId: membership.id,
        validFrom,
        validUntil,
      },
    });
  });
}
