import type { ConsentPurpose } from '@hub/identity';
import { memberFieldAuth } from '../authorization/access.js';
import { builder } from '../builder.js';
import { grantConsent, withdrawConsent } from '../domain/privacy/consents.js';
import { type PrivacyNotice, privacyNotices } from '../domain/privacy/notices.js';
import { callerMemberId } from '../identity/caller.js';
import { ConsentPurposeEnum } from './api-key.js';
import { MemberRef } from './member.js';

const PrivacyNoticeRef = builder.objectRef<PrivacyNotice>('PrivacyNotice').implement({
  description: '利用目的ごとのプライバシー通知 (the privacy notice of one purpose of use)',
  fields: (t) => ({
    purpose: t.expose('purpose', {
      type: ConsentPurposeEnum,
      description: '利用目的 (purpose of use)',
    }),
    version: t.exposeString('version', {
      description: '通知の版 — 同意はこの版に対して行う (notice version consents refer to)',
    }),
    publishedOn: t.field({
      type: 'Date',
      description: '公表日 (published on)',
      resolve: (notice) => notice.publishedOn,
    }),
    titleJa: t.exposeString('titleJa', { description: '題名 (title in Japanese)' }),
    titleEn: t.exposeString('titleEn', { description: '英語の題名 (title in English)' }),
    textJa: t.exposeString('textJa', { description: '本文 (text in Japanese)' }),
    textEn: t.exposeString('textEn', { description: '英語の本文 (text in English)' }),
  }),
});

builder.prismaObject('Consent', {
  description: '利用目的への同意 (a member’s consent to a purpose of use)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    purpose: t.field({
      type: ConsentPurposeEnum,
      description: '利用目的 (purpose of use)',
      // Written only through grantConsent, which accepts CONSENT_PURPOSES alone.
      resolve: (consent) => consent.purpose as ConsentPurpose,
    }),
    noticeVersion: t.exposeString('noticeVersion', {
      description: '同意したときの通知の版 (notice version consented to)',
    }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime', description: '同意日時 (granted at)' }),
    withdrawnAt: t.expose('withdrawnAt', {
      type: 'DateTime',
      nullable: true,
      description: '撤回日時 (withdrawn at; null while in force)',
    }),
    isActive: t.boolean({
      description: '有効か — 撤回されていない (in force, not withdrawn)',
      resolve: (consent) => consent.withdrawnAt === null,
    }),
  }),
});

builder.prismaObjectField(MemberRef, 'consents', (t) =>
  t.relation('consents', {
    nullable: true,
    description: '同意の履歴 (consents, newest first)',
    query: { orderBy: [{ grantedAt: 'desc' }, { id: 'desc' }] },
    ...memberFieldAuth('consents'),
  }),
);

builder.queryFields((t) => ({
  privacyNotices: t.field({
    type: [PrivacyNoticeRef],
    description:
      '利用目的ごとの最新のプライバシー通知 (the current privacy notice of every purpose)',
    resolve: () => privacyNotices(),
  }),
}));

builder.mutationFields((t) => ({
  grantConsent: t.prismaField({
    type: 'Consent',
    description:
      '利用目的に同意する — 最新の通知の版のみ (consent to a purpose under its current notice version)',
    args: {
      purpose: t.arg({
        type: ConsentPurposeEnum,
        required: true,
        description: '利用目的 (purpose)',
      }),
      noticeVersion: t.arg.string({
        required: true,
        description: '読んだ通知の版 (the notice version you read)',
      }),
    },
    authScopes: { member: true },
    resolve: (query, _root, { purpose, noticeVersion }, context) =>
      grantConsent(context.prisma, {
        memberId: callerMemberId(context),
        purpose,
        noticeVersion,
        requestId: context.requestId,
      }).then(({ id }) => context.prisma.consent.findUniqueOrThrow({ ...query, where: { id } })),
  }),
  withdrawConsent: t.prismaField({
    type: 'Consent',
    description:
      '同意を撤回する — パートナーは直後の要求から参照できない (withdraw a consent; partners are refused from the next request)',
    args: {
      purpose: t.arg({
        type: ConsentPurposeEnum,
        required: true,
        description: '利用目的 (purpose)',
      }),
    },
    authScopes: { member: true },
    resolve: (query, _root, { purpose }, context) =>
      withdrawConsent(context.prisma, {
        memberId: callerMemberId(context),
        purpose,
        requestId: context.requestId,
      }).then(({ id }) => context.prisma.consent.findUniqueOrThrow({ ...query, where: { id } })),
  }),
}));
