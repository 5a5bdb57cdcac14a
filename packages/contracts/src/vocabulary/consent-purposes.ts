import { z } from 'zod';

/**
 * Purposes of use (利用目的) a member can consent to, each under a version of the privacy notice.
 * A partner key declares one purpose; personal data flows only under consent to it.
 */
export const CONSENT_PURPOSES = [
  /** 自治体への移住・定住支援のための情報提供 (sharing with partner municipalities for relocation support). */
  'municipal-relocation-support',
  /** 仕事の紹介・マッチング (work introductions and matching). */
  'work-matching',
  /** 支援制度の案内 (support program guidance). */
  'program-guidance',
] as const;
export const ZConsentPurpose = z.enum(CONSENT_PURPOSES);
export type TConsentPurpose = z.infer<typeof ZConsentPurpose>;
