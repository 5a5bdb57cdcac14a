import { SPACE_KINDS } from '@hub/contracts';
import { toKatakana } from 'wanakana';
import { storedHoursOf } from '../domain/search-spaces.js';
import type { AdmissionPolicy, Municipality, Space } from '../generated/prisma/client.js';
import { summariseHours } from './hours-summary.js';
import type { TPublicFacilityRow } from './public-facility-columns.js';

const ADMISSION_LABELS: Record<AdmissionPolicy, string> = {
  OPEN_TO_ALL: '誰でも利用可 (open to all)',
  SCREENED_BY_ASPIRATION: '志・目的による審査あり (screened by aspiration)',
  MEMBERS_ONLY: '会員のみ (members only)',
};

export type TListedSpace = Space & { municipality: Municipality };

/**
 * One space as a 公共施設一覧 row. `today` (Tokyo date, YYYY-MM-DD) keeps past hours
 * exceptions out of the notes. The row's 全国地方公共団体コード is the municipality the space is
 * in, so a prefecture's file keeps each row's own municipality; ID is the space's id, stable for
 * as long as the space exists.
 */
export function publicFacilityRow(space: TListedSpace, today: string): TPublicFacilityRow {
  const { municipality } = space;
  const hours = summariseHours(storedHoursOf(space), today);
  const kind = SPACE_KINDS.labels[SPACE_KINDS.valueOf(space.kind)];
  return {
    全国地方公共団体コード: municipality.code,
    ID: space.id,
    地方公共団体名: `${municipality.prefecture}${municipality.name}`,
    名称: space.name,
    // The standard asks for full-width katakana; the hub may hold the reading in hiragana.
    名称_カナ: space.nameKana ? toKatakana(space.nameKana) : '',
    名称_英字: space.nameEn ?? '',
    名称_通称: '',
    POIコード: '',
    所在地_連結表記: [
      municipality.prefecture,
      municipality.name,
      space.town ?? '',
      space.addressLine ?? '',
    ].join(''),
    所在地_都道府県: municipality.prefecture,
    所在地_市区町村: municipality.name,
    所在地_町字: space.town ?? '',
    所在地_番地以下: space.addressLine ?? '',
    '建物名等(方書)': space.building ?? '',
    緯度: space.latitude === null ? '' : String(space.latitude),
    経度: space.longitude === null ? '' : String(space.longitude),
    電話番号: space.phone ?? '',
    内線番号: '',
    // The operator's name and corporate number are the members service's; spaces holds its id.
    法人番号: '',
    団体名: '',
    利用可能曜日: hours.days,
    開始時間: hours.opens,
    終了時間: hours.closes,
    利用可能日時特記事項: hours.notes,
    説明: space.description ?? '',
    バリアフリー情報: '',
    URL: space.websiteUrl ?? '',
    備考: `種別: ${kind}、利用: ${ADMISSION_LABELS[space.admissionPolicy]}`,
  };
}
