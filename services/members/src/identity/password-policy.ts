import { AppError } from '@hub/service-kit';
import { emailLocalPart } from './email.js';

/** The numbers docs/identity.md quotes; change both together. */
export const PASSWORD_POLICY = {
  minLength: 10,
  maxLength: 128,
  /** Passphrases this long may use a single kind of character. */
  passphraseLength: 16,
  minCharacterKinds: 2,
  minDistinctCharacters: 4,
  /** Shorter local parts (e.g. `a@…`) would forbid too many passwords to be useful. */
  minLocalPartLength: 3,
} as const;

// The passwords attackers try first (lower case; trailing digits and symbols are ignored, so
// `Password2024!` counts as `password`). Short on purpose: length and kinds do the rest.
const COMMON_PASSWORDS = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1q2w3e4r',
  '1q2w3e4r5t',
  '1qaz2wsx',
  'qazwsx',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'abc',
  'abcdef',
  'changeme',
  'trustno1',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'master',
  'secret',
  'hello',
  'coworking',
  'japan',
  'nippon',
  'tokyo',
  'sapporo',
  'hokkaido',
]);

/** Lower case, upper case, digits, ASCII symbols and spaces, other scripts (kana, kanji…). */
function characterKind(character: string): string {
  if (/[a-z]/.test(character)) return 'lower';
  if (/[A-Z]/.test(character)) return 'upper';
  if (/[0-9]/.test(character)) return 'digit';
  if (/[\x20-\x7e]/.test(character)) return 'symbol';
  return 'other';
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const stem = lower.replace(/[^a-z]+$/, '');
  return COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(stem);
}

/** Why a password is refused (Japanese, English alongside), or null when it is acceptable. */
export function passwordWeakness(password: string, email: string): string | null {
  const characters = [...password];
  const { minLength, maxLength } = PASSWORD_POLICY;
  if (characters.length < minLength) {
    return `パスワードは${minLength}文字以上にしてください (at least ${minLength} characters)`;
  }
  if (characters.length > maxLength) {
    return `パスワードは${maxLength}文字以内にしてください (at most ${maxLength} characters)`;
  }
  if (new Set(characters).size < PASSWORD_POLICY.minDistinctCharacters) {
    return '同じ文字の繰り返しが多すぎます (too few different characters)';
  }
  if (
    characters.length < PASSWORD_POLICY.passphraseLength &&
    new Set(characters.map(characterKind)).size < PASSWORD_POLICY.minCharacterKinds
  ) {
    return `${PASSWORD_POLICY.passphraseLength}文字未満のパスワードは英大文字・英小文字・数字・記号などを2種類以上含めてください (under ${PASSWORD_POLICY.passphraseLength} characters, mix at least two kinds of character)`;
  }
  if (isCommon(password)) {
    return 'よく使われるパスワードは使えません (too common a password)';
  }
  const localPart = emailLocalPart(email);
  if (
    localPart.length >= PASSWORD_POLICY.minLocalPartLength &&
    password.toLowerCase().includes(localPart)
  ) {
    return 'パスワードにメールアドレスの一部を含めないでください (must not contain your email address)';
  }
  return null;
}

export function assertPasswordPolicy(password: string, email: string): void {
  const weakness = passwordWeakness(password, email);
  if (weakness) throw new AppError('WEAK_PASSWORD', weakness, { field: 'password' });
}
