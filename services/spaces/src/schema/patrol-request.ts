import { patrolRequestGuard } from '../authorization/patrol-request-access.js';
import { builder } from '../builder.js';
import type { PatrolRequest } from '../generated/prisma/client.js';
import { MemberRef } from './member.js';
import { PatrolRequestKindEnum } from './patrol-request-kind.js';

const requesterAuth = patrolRequestGuard.fieldAuth('requester');

export const PatrolRequestRef = builder.prismaObject('PatrolRequest', {
  description:
    '巡回訪問で受けた相談・専門家派遣の依頼 — 支援機関がそれぞれ 1 件の相談として扱う (a consultation or expert-dispatch request raised during a patrol visit; each becomes one consultation)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    kind: t.expose('kind', { type: PatrolRequestKindEnum, description: '種類 (kind)' }),
    subject: t.exposeString('subject', { description: '相談内容 (what it is about)' }),
    isRequesterNamed: t.boolean({
      description:
        '依頼者が会員として記録されているか — false は名前を伺っていないコワーカー (whether a member was named; false for a coworker who was not named)',
      resolve: (request) => request.requesterMemberId !== null,
    }),
    requester: t.field({
      type: MemberRef,
      nullable: true,
      description:
        '依頼した会員 — 個人情報: 本人・ハブ管理者など (the member who asked; personal data, see docs/authorization.md). 名前のないコワーカーは null (null for an unnamed coworker)',
      // An unnamed coworker is nobody's personal data: nothing to decide, the value is null.
      authScopes: (request: PatrolRequest, args, context) =>
        request.requesterMemberId === null
          ? true
          : requesterAuth.authScopes!(
              request as PatrolRequest & { requesterMemberId: string },
              args,
              context,
            ),
      unauthorizedError: (request: PatrolRequest, args, context) =>
        requesterAuth.unauthorizedError!(
          request as PatrolRequest & { requesterMemberId: string },
          args,
          context,
        ),
      resolve: (request) =>
        request.requesterMemberId === null ? null : { id: request.requesterMemberId },
    }),
  }),
});
