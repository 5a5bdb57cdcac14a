import { AppError } from '@hub/service-kit';
import { z } from 'zod';

// RFC 5321 caps a forward path at 256 octets including the angle brackets.
export const MAX_EMAIL_LENGTH = 254;
const ZEmail = z.email();

/**
 * The one form an address is stored and looked up in, so `Ｔａｒｏ@Example.jp ` and
 * `taro@example.jp` are the same account: trimmed, NFKC (full-width → ASCII), lower case.
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize('NFKC').trim().toLowerCase();
}

/** Normalises and validates an address given at sign-up. */
export function parseEmail(raw: string): string {
  const email = normaliseEmail(raw);
  if (email.length > MAX_EMAIL_LENGTH || !ZEmail.safeParse(email).success) {
    throw new AppError(
      'BAD_USER_INPUT',
      'メールアドレスの形式が正しくありません (invalid email address)',
      { field: 'email' },
    );
  }
  return email;
}

/** The part before the @ (passwords must not contain it). */
export function emailLocalPart(email: string): string {
  return email.slice(0, Math.max(0, email.lastIndexOf('@')));
}
