import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';

// Naming an organisation as a member of one's consortium is a link that names another
// organisation: it counts only once the member organisation's staff made it or its admin
// confirmed it (docs/authorization.md, "Links that name another organisation"). Otherwise any
// member could create a consortium "of" 札幌市 and show it under 札幌市 to everyone.

/** Memberships that count: listed in `consortia` and `memberOrganizations`. */
export const CONFIRMED_MEMBERSHIP = {
  confirmedAt: { not: null },
} satisfies Prisma.ConsortiumMembershipWhereInput;

export const ZConsortiumMembershipAnswer = z.object({
  consortiumId: z.uuid('コンソーシアム ID は UUID です (consortiumId must be a UUID)'),
  memberOrganizationId: z.uuid('構成団体 ID は UUID です (memberOrganizationId must be a UUID)'),
});

export function parseConsortiumMembershipAnswer(input: unknown) {
  const { consortiumId, memberOrganizationId } = parseInput(ZConsortiumMembershipAnswer, input);
  return { consortiumId_memberId: { consortiumId, memberId: memberOrganizationId } };
}

export const membershipNotFound = () =>
  new AppError(
    'NOT_FOUND',
    'この組織はこのコンソーシアムの構成団体として挙げられていません (the organisation is not named as a member of this consortium)',
    { field: 'memberOrganizationId' },
  );
