import { describe, expect, it } from '@jest/globals';
import {
  checkCorporateNumber,
  checkMunicipalityCode,
  corporateNumberCheckDigit,
  municipalityCheckDigit,
  prefectureNameOf,
} from './index.js';

describe('municipality codes', () => {
  // The demo municipalities, from the source documents.
  it.each(['011002', '012025', '012157', '202151', '202029', '281000', '131121', '271004'])(
    '%s is valid',
    (code) => expect(checkMunicipalityCode(code)).toEqual({ isValid: true }),
  );

  it('rejects a wrong check digit and a bad format', () => {
    expect(checkMunicipalityCode('011001')).toEqual({ isValid: false, reason: 'check-digit' });
    expect(checkMunicipalityCode('01100')).toEqual({ isValid: false, reason: 'format' });
    expect(checkMunicipalityCode('01100a')).toEqual({ isValid: false, reason: 'format' });
  });

  it('computes the digit', () => expect(municipalityCheckDigit('01100')).toBe(2));
});

describe('corporate numbers', () => {
  // 国税庁's published example: 法人番号 7000012050002 (国税庁).
  it('accepts a real corporate number', () => {
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
    expect(checkCorporateNumber('7000012050002')).toEqual({ isValid: true });
  });

  it('rejects a wrong check digit and a bad format', () => {
    expect(checkCorporateNumber('8000012050002')).toEqual({
      isValid: false,
      reason: 'check-digit',
    });
    expect(checkCorporateNumber('700001205000')).toEqual({ isValid: false, reason: 'format' });
  });
});

describe('prefecture codes (JIS X 0401)', () => {
  it('names the 47 prefectures from 01 to 47, and nothing else', () => {
    expect(prefectureNameOf('01')).toBe('北海道');
    expect(prefectureNameOf('13')).toBe('東京都');
    expect(prefectureNameOf('20')).toBe('長野県');
    expect(prefectureNameOf('47')).toBe('沖縄県');
    for (const code of ['00', '48', '1', '001', 'ab', '']) {
      expect(prefectureNameOf(code)).toBeUndefined();
    }
  });
});
