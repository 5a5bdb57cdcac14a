import { AppError, resolveGroupedConnection } from '@hub/service-kit';
import type { ObjectRef } from '@pothos/core';
import { readableMemberships, readablePasses } from '../authorization/membership-access.js';
import { builder, type SpacesTypes } from '../builder.js';
import { PassConnection, PassRef } from './pass.js';
import { SpaceMembershipConnection, SpaceMembershipRef } from './space-membership.js';

/** Members are owned by the members service; spaces knows them by id and returns stubs. */
export const MemberRef: ObjectRef<SpacesTypes, { id: string }> = builder
  .externalRef('Member', builder.selection<{ id: string }>('id'))
  .implement({ externalFields: (t) => ({ id: t.id() }) });

// Spaces adds a member's home spaces and passes.
builder.objectFields(MemberRef, (t) => ({
  // Nullable: a refusal (or this subgraph down) is null plus an error, the member still arrives.
  homeSpaces: t.connection(
    {
      type: SpaceMembershipRef,
      nullable: true,
      description:
        'ホーム拠点 — 会員資格、開始日の新しい順。本人・拠点の運営組織のスタッフ (その拠点の分のみ)・ハブ管理者 (home spaces: memberships, newest first. The member, staff of the space’s operator for that space, hub admins)',
      resolve: (member, args, context) => {
        const readable = readableMemberships(context);
        if (readable instanceof AppError) throw readable;
        return resolveGroupedConnection(context, 'homeSpacesByMember', {
          parent: member.id,
          args,
          fetch: (memberIds) =>
            context.prisma.spaceMembership.findMany({
              where: { AND: [{ memberId: { in: [...memberIds] } }, readable] },
              orderBy: [{ startsOn: 'desc' }, { id: 'asc' }],
            }),
          groupOf: (membership) => membership.memberId,
        });
      },
    },
    SpaceMembershipConnection,
  ),
  passes: t.connection(
    {
      type: PassRef,
      nullable: true,
      description:
        'パス — 有効期限の新しい順。本人・ホーム拠点の運営組織のスタッフ・ハブ管理者 (passes, latest expiry first. The member, staff of the home space’s operator, hub admins)',
      resolve: (member, args, context) => {
        const readable = readablePasses(context);
        if (readable instanceof AppError) throw readable;
        return resolveGroupedConnection(context, 'passesByMember', {
          parent: member.id,
          args,
          fetch: (memberIds) =>
            context.prisma.pass.findMany({
              where: { AND: [{ memberId: { in: [...memberIds] } }, readable] },
              orderBy: [{ validUntil: 'desc' }, { id: 'asc' }],
            }),
          groupOf: (pass) => pass.memberId,
        });
      },
    },
    PassConnection,
  ),
}));

builder.prismaObjectField(SpaceMembershipRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    description: '会員 (the member)',
    resolve: (membership) => ({ id: membership.memberId }),
  }),
);

builder.prismaObjectField(PassRef, 'member', (t) =>
  t.field({
    type: MemberRef,
    description: '保有者 (the holder)',
    resolve: (pass) => ({ id: pass.memberId }),
  }),
);
