import { toRomaji } from 'wanakana';

const KATAKANA = /[\u30a1-\u30f6]/g;

/** NFKC (full-width Latin → ASCII, half-width kana → full-width), lower case, katakana → hiragana. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(KATAKANA, (kana) => String.fromCharCode(kana.charCodeAt(0) - 0x60))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The text a space is found by, stored in `search_text` with the row: names and description
 * normalised, plus the kana name in Hepburn romaji both as written (`toukyou`) and with long
 * vowels shortened as people type them (`tokyo`), with and without spaces. A query is
 * normalised by `normaliseForSearch` alone: kana finds the hiragana, romaji the romaji.
 */
export function spaceSearchText(space: {
  name: string;
  nameKana?: string | null;
  nameEn?: string | null;
  description?: string | null;
}): string {
  const parts = [space.name, space.nameKana, space.nameEn, space.description]
    .filter((part): part is string => Boolean(part))
    .map(normaliseForSearch);
  if (space.nameKana) {
    // wanakana writes the long-vowel mark ー as '-': spell it out (テレワーク → terewaaku).
    const romaji = toRomaji(normaliseForSearch(space.nameKana))
      .toLowerCase()
      .replace(/([aeiou])-/g, '$1$1');
    const short = romaji.replace(/ou/g, 'o').replace(/([aeiou])\1/g, '$1');
    for (const form of new Set([romaji, short])) parts.push(form, form.replace(/[\s・-]/g, ''));
  }
  return parts.join('\n');
}
