import type { ConsentPurpose } from '@hub/identity';
import { assertUuid, defineMutation, InvalidInputError, NotFoundError } from '@hub/service-kit';
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

const ConsentRef = builder.prismaObject('Consent', {
  description:
    'パートナー組織が利用目的のために個人データを受け取ることへの同意 (a member’s consent to a partner organisation receiving their personal data for a purpose of use)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    recipient: t.relation('recipient', {
      nullable: true,
      description:
        '受け取る組織 — null は受領者を記録する前の同意で、どのパートナーにも効力がない (the recipient organisation; null for consents recorded before recipients were, which let no partner read)',
    }),
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
      description:
        '有効か — 撤回されておらず受け取る組織を指定している (in force: not withdrawn, and names a recipient)',
      resolve: (consent) =>
        consent.withdrawnAt === null && consent.recipientOrganizationId !== null,
    }),
  }),
});

builder.prismaObjectField(MemberRef, 'consents', (t) =>
  t.relation('consents', {
    nullable: true,
    description: '同意の履歴 (consents, newest first)',
    args: {
      recipientOrganizationId: t.arg.id({
        required: false,
        description: 'この組織への同意だけ (only consents to this recipient organisation)',
      }),
    },
    query: ({ recipientOrganizationId }) => {
      if (recipientOrganizationId) assertUuid(recipientOrganizationId, 'recipientOrganizationId');
      return {
        where: recipientOrganizationId ? { recipientOrganizationId } : {},
        orderBy: [{ grantedAt: 'desc' }, { id: 'desc' }],
      };
    },
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

const GrantConsentInput = builder.inputType('GrantConsentInput', {
  description: '同意の内容 (the consent to give)',
  fields: (t) => ({
    recipientOrganizationId: t.id({
      required: true,
      description: '受け取るパートナー組織 (the partner organisation that may receive your data)',
    }),
    purpose: t.field({
      type: ConsentPurposeEnum,
      required: true,
      description: '利用目的 (purpose)',
    }),
    noticeVersion: t.string({
      required: true,
      description: '読んだ通知の版 (the notice version you read)',
    }),
  }),
});

defineMutation(builder, 'grantConsent', {
  description:
    'パートナー組織が利用目的のために個人データを受け取ることに同意する — その目的を認められたパートナーのみ、最新の通知の版のみ (consent to a partner organisation receiving your personal data for a purpose; the partner must be allowed that purpose, under the notice’s current version)',
  input: { type: GrantConsentInput, description: '同意の内容 (the consent)' },
  success: { field: 'consent', type: ConsentRef, description: '有効な同意 (the active consent)' },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    grantConsent(context, {
      ...input,
      memberId: callerMemberId(context),
      requestId: context.requestId,
    }),
});

const WithdrawConsentInput = builder.inputType('WithdrawConsentInput', {
  description: '撤回する同意 (the consent to withdraw)',
  fields: (t) => ({
    recipientOrganizationId: t.id({
      required: true,
      description: '同意した受け取り組織 (the recipient organisation you consented to)',
    }),
    purpose: t.field({
      type: ConsentPurposeEnum,
      required: true,
      description: '利用目的 (purpose)',
    }),
  }),
});

defineMutation(builder, 'withdrawConsent', {
  description:
    '組織への同意を撤回する — その組織は直後の要求から参照できない (withdraw your consent to a recipient for a purpose; it is refused from the next request)',
  input: { type: WithdrawConsentInput, description: '撤回する同意 (the consent)' },
  success: {
    field: 'consent',
    type: ConsentRef,
    description: '撤回した同意 (the consent as withdrawn)',
  },
  errors: [InvalidInputError, NotFoundError],
  authScopes: () => ({ member: true }),
  resolve: (input, context) =>
    withdrawConsent(context, {
      ...input,
      memberId: callerMemberId(context),
      requestId: context.requestId,
    }),
});
