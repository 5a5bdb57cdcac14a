/**
 * Japanese public identifiers the hub validates at its edges.
 * 全国地方公共団体コード: 5 digits + check digit = (11 − Σ(dᵢ × [6,5,4,3,2]ᵢ) mod 11) mod 10.
 */
export function municipalityCheckDigit(firstFive: string): number {
  if (!/^\d{5}$/.test(firstFive)) throw new Error(`expected 5 digits, got "${firstFive}"`);
  const weights = [6, 5, 4, 3, 2];
  const sum = [...firstFive].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return (11 - (sum % 11)) % 10;
}

export type CodeCheck = { isValid: true } | { isValid: false; reason: 'format' | 'check-digit' };

export function checkMunicipalityCode(code: string): CodeCheck {
  if (!/^\d{6}$/.test(code)) return { isValid: false, reason: 'format' };
  const expected = municipalityCheckDigit(code.slice(0, 5));
  return expected === Number(code[5])
    ? { isValid: true }
    : { isValid: false, reason: 'check-digit' };
}

/**
 * 法人番号 (corporate number): a check digit followed by a 12-digit base number;
 * check = 9 − (Σ Pₙ × Qₙ mod 9), n counted from the base's last digit, Qₙ = 1 (odd n) or 2 (even n).
 */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^\d{12}$/.test(base)) throw new Error(`expected 12 digits, got "${base}"`);
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

export function checkCorporateNumber(number: string): CodeCheck {
  if (!/^\d{13}$/.test(number)) return { isValid: false, reason: 'format' };
  return corporateNumberCheckDigit(number.slice(1)) === Number(number[0])
    ? { isValid: true }
    : { isValid: false, reason: 'check-digit' };
}
