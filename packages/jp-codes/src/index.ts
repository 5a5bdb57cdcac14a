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

/** 都道府県コード (JIS X 0401): the index + 1, zero-padded to two digits, is the code. */
const PREFECTURE_NAMES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;

/** The prefecture a two-digit JIS X 0401 code names (`01` 北海道 … `47` 沖縄県), if any. */
export function prefectureNameOf(code: string): string | undefined {
  if (!/^\d{2}$/.test(code)) return undefined;
  return PREFECTURE_NAMES[Number(code) - 1];
}
