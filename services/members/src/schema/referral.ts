import { memberFieldAuth } from '../authorization/access.js';
import { builder } from '../builder.js';
import { TRUST_DISTANCE_MAX_HOPS, trustDistance } from '../domain/referrals/trust-distance.js';
import { MemberRef } from './member.js';

// Who introduced whom: member.referred_by_id, set at sign-up with an invitation.
builder.prismaObjectFields(MemberRef, (t) => ({
  referredBy: t.relation('referredBy', {
    nullable: true,
    description: 'このメンバーを紹介したメンバー (the member who referred them)',
    ...memberFieldAuth('referredBy'),
  }),
  referrals: t.relation('referrals', {
    nullable: true,
    description: 'このメンバーが紹介したメンバー (members they referred, oldest first)',
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    ...memberFieldAuth('referrals'),
  }),
  referralCount: t.int({
    nullable: true,
    description: '紹介した人数 (number of members they referred)',
    // A count in the parent's query (relationCount cannot be nullable, and refusals are null).
    select: { _count: { select: { referrals: true } } },
    ...memberFieldAuth('referralCount'),
    resolve: (member) => member._count.referrals,
  }),
}));

builder.queryFields((t) => ({
  trustDistance: t.int({
    nullable: true,
    description: `紹介のつながりの距離 — 同じメンバーは 0、${TRUST_DISTANCE_MAX_HOPS} 段以内でつながらなければ null (referral hops between two members in either direction; 0 for the same member, null if not connected within ${TRUST_DISTANCE_MAX_HOPS})`,
    args: {
      fromMemberId: t.arg.id({ required: true, description: '起点のメンバー ID (from member)' }),
      toMemberId: t.arg.id({ required: true, description: '終点のメンバー ID (to member)' }),
    },
    authScopes: { member: true },
    resolve: (_root, { fromMemberId, toMemberId }, context) =>
      trustDistance(context.prisma, fromMemberId, toMemberId),
  }),
}));
