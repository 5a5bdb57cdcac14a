import {
  CONSENT_NOTICE_VERSIONS,
  CONSENT_PURPOSES,
  type ConsentPurpose,
  consentingNoticeVersions,
} from '@hub/identity';

/**
 * The privacy notice (利用目的の通知) a member reads before consenting to one purpose of use.
 * Kept in code so the text a consent refers to is reviewed and versioned with the code.
 */
export type PrivacyNotice = {
  purpose: ConsentPurpose;
  /** Bumped whenever the text changes; a consent records the version it was given under. */
  version: string;
  publishedOn: string;
  titleJa: string;
  titleEn: string;
  textJa: string;
  textEn: string;
  /**
   * Earlier versions whose consents still count (a wording fix). A change of what is shared
   * or with whom leaves this empty, so partners see nothing until members consent again.
   */
  stillCoveredVersions: readonly string[];
};

// 2026-12: consent names its recipient (APPI art. 27). Who receives the data changed, so no
// 2026-04 consent is still covered — those name no recipient and count for no partner anyway.
// The versions are shared (CONSENT_NOTICE_VERSIONS in @hub/identity): every service holding
// personal data checks a consent's version; a new text bumps the version there.
export const PRIVACY_NOTICES: Record<ConsentPurpose, PrivacyNotice> = {
  'municipal-relocation-support': {
    purpose: 'municipal-relocation-support',
    version: CONSENT_NOTICE_VERSIONS['municipal-relocation-support'].current,
    publishedOn: '2026-12-04',
    titleJa: '自治体への移住・定住支援のための情報提供',
    titleEn: 'Sharing with partner municipalities for relocation support',
    textJa:
      'あなたが同意で指定した提携自治体 (ハブがパートナーに指定した自治体) の移住・定住支援担当が、あなたの連絡先、出身地、稼働可能時間、所属の履歴を、移住・定住の相談と支援のためにのみ参照します。同意は自治体ごとで、ほかの組織は参照できません。参照のたびに記録され、あなたは記録を確認できます。同意はいつでも撤回でき、撤回した時点から参照できなくなります。',
    textEn:
      'Relocation officers of the partner municipality you name in your consent (a municipality the hub made a partner) may read your contact details, home municipality, available hours and affiliation history, only to advise and support you on relocating. Consent is per municipality; no other organisation may read. Every read is logged and you can see the log. You can withdraw at any time; reading stops the moment you do.',
    stillCoveredVersions: CONSENT_NOTICE_VERSIONS['municipal-relocation-support'].stillCovered,
  },
  'work-matching': {
    purpose: 'work-matching',
    version: CONSENT_NOTICE_VERSIONS['work-matching'].current,
    publishedOn: '2026-12-04',
    titleJa: '仕事の紹介・マッチング',
    titleEn: 'Work introductions and matching',
    textJa:
      'あなたが同意で指定した提携組織 (ハブがパートナーに指定した発注企業・運営者) が、仕事の紹介とマッチングのために、あなたの連絡先、稼働可能時間、所属の履歴を参照します。同意は組織ごとです。参照のたびに記録され、同意はいつでも撤回できます。',
    textEn:
      'The partner organisation you name in your consent (a client or operator the hub made a partner) may read your contact details, available hours and affiliation history to introduce work and match you with it. Consent is per organisation. Every read is logged; you can withdraw at any time.',
    stillCoveredVersions: CONSENT_NOTICE_VERSIONS['work-matching'].stillCovered,
  },
  'program-guidance': {
    purpose: 'program-guidance',
    version: CONSENT_NOTICE_VERSIONS['program-guidance'].current,
    publishedOn: '2026-12-04',
    titleJa: '支援制度の案内',
    titleEn: 'Support program guidance',
    textJa:
      'あなたが同意で指定した提携支援機関 (ハブがパートナーに指定した機関) が、あなたに合った支援制度を案内するために、あなたの連絡先と出身地を参照します。同意は機関ごとです。参照のたびに記録され、同意はいつでも撤回できます。',
    textEn:
      'The partner support organisation you name in your consent (one the hub made a partner) may read your contact details and home municipality to tell you about support programs that fit you. Consent is per organisation. Every read is logged; you can withdraw at any time.',
    stillCoveredVersions: CONSENT_NOTICE_VERSIONS['program-guidance'].stillCovered,
  },
};

export function privacyNotices(): PrivacyNotice[] {
  return CONSENT_PURPOSES.map((purpose) => PRIVACY_NOTICES[purpose]);
}

export { consentingNoticeVersions };

export function isConsentPurpose(value: string): value is ConsentPurpose {
  return (CONSENT_PURPOSES as readonly string[]).includes(value);
}
