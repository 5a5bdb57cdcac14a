import { describe, expect, it } from '@jest/globals';
import { normaliseEmail, parseEmail } from './email.js';
import { passwordWeakness } from './password-policy.js';

describe('password policy', () => {
  const email = 'hanako.sato@example.jp';

  it.each([
    ['short', 'Ab3$efgh', '10文字以上'],
    ['too long', `Aa1${'x'.repeat(126)}`, '128文字以内'],
    ['one character repeated', 'aaaaaaaaaaaa', 'too few different characters'],
    ['a short pattern repeated', 'a1a1a1a1a1a1', 'too few different characters'],
    ['digits only', '2718281828459', 'two kinds'],
    ['lower case only, under 16', 'mountainriver', 'two kinds'],
    ['a common password', 'Password2024!', 'too common'],
    ['a keyboard walk with digits', 'qwerty123456', 'too common'],
    ['the email local part', 'Hanako.Sato-2024', 'email address'],
  ])('refuses %s', (_label, password, reason) => {
    expect(passwordWeakness(password, email)).toContain(reason);
  });

  it.each([
    ['two kinds', 'Kumo-no-ue-7'],
    ['a long lower-case passphrase', 'correct horse battery staple'],
    ['a Japanese passphrase of 16+ characters', 'さっぽろのゆきまつりでかまくらをつくる'],
    ['kana and digits', 'ひみつのあいことば2024'],
  ])('accepts %s', (_label, password) => {
    expect(passwordWeakness(password, email)).toBeNull();
  });

  it('ignores a local part too short to mean anything', () => {
    expect(passwordWeakness('Abc-defg-hij', 'ab@example.jp')).toBeNull();
  });
});

describe('email', () => {
  it('trims, folds full-width characters and lower-cases', () => {
    expect(normaliseEmail('  Ｔａｒｏ．Ｙａｍａｄａ＠Ｅｘａｍｐｌｅ．ＪＰ　')).toBe(
      'taro.yamada@example.jp',
    );
  });

  it('refuses what is not an address', () => {
    expect(() => parseEmail('taro@')).toThrow('invalid email address');
    expect(() => parseEmail(`${'a'.repeat(250)}@example.jp`)).toThrow('invalid email address');
  });
});
