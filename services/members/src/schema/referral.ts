import { todayInJapan } from '@hub/contracts';
import { isHubAdmin, staffOrganizationIds } from '@hub/identity';
import { resolveGroupedConnection } from '@hub/service-kit';
import { memberFieldAuth } from '../authorization/access.js';
import { builder } from '../builder.js';
import { TRUST_DISTANCE_MAX_HOPS, trustDistance } from '../domain/referrals/trust-distance.js';
import { callerMemberId } from '../identity/caller.js';
import { MemberConnection, MemberRef } from './member.js';

// Who introduced whom: member.referred_by_id, set at sign-up with an invitation.
builder.prismaObjectFields(MemberRef, (t) => ({
  referredBy: t.relation('referredBy', {
    nullable: true,
    description: 'このメンバーを紹介したメンバー (the member who referred them)',
    ...memberFieldAuth('referredBy'),
  }),
  referrals: t.connection(
    {
      type: MemberRef,
      nullable: true,
      description: 'このメンバーが紹介したメンバー、名前順 (members they referred, by name)',
      ...memberFieldAuth('referrals'),
      resolve: (member, args, context) =>
        resolveGroupedConnection(context, 'referralsByReferrer', {
          parent: member.id,
          args,
          fetch: (referrerIds) =>
            context.prisma.member.findMany({
              where: { referredById: { in: [...referrerIds] } },
              // By a public field: ordered by registration time, the list would give away
              // createdAt of referred members who show their profile to staff only.
              orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
            }),
          groupOf: (referred) => referred.referredById!,
        }),
    },
    MemberConnection,
  ),
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
    description: `紹介のつながりの距離 — あなたが参照できるつながり (referrals・referredBy) だけで数える。同じメンバーは 0、${TRUST_DISTANCE_MAX_HOPS} 段以内でつながらなければ null (referral hops between two members in either direction, counting only links you may read as referrals or referredBy; 0 for the same member, null if not connected within ${TRUST_DISTANCE_MAX_HOPS})`,
    args: {
      fromMemberId: t.arg.id({ required: true, description: '起点のメンバー ID (from member)' }),
      toMemberId: t.arg.id({ required: true, description: '終点のメンバー ID (to member)' }),
    },
    authScopes: { member: true },
    resolve: (_root, { fromMemberId, toMemberId }, context) => {
      // A distance over links the field rules hide would reveal them: walk only the caller's.
      const visibleTo = isHubAdmin(context.identity)
        ? ('everyone' as const)
        : {
            memberId: callerMemberId(context),
            staffOrganizationIds: staffOrganizationIds(context.identity),
            today: todayInJapan(),
          };
      return trustDistance(context.prisma, { fromMemberId, toMemberId, visibleTo });
    },
  }),
}));
