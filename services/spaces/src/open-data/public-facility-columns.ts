/**
 * The columns of 公共施設一覧 in デジタル庁's 自治体標準オープンデータセット, in the standard's
 * order. Every column is written, empty where the hub holds no value (docs/open-data.md says
 * where each value comes from), so a file drops into tools made for the standard.
 */
export const PUBLIC_FACILITY_COLUMNS = [
  '全国地方公共団体コード',
  'ID',
  '地方公共団体名',
  '名称',
  '名称_カナ',
  '名称_英字',
  '名称_通称',
  'POIコード',
  '所在地_連結表記',
  '所在地_都道府県',
  '所在地_市区町村',
  '所在地_町字',
  '所在地_番地以下',
  '建物名等(方書)',
  '緯度',
  '経度',
  '電話番号',
  '内線番号',
  '法人番号',
  '団体名',
  '利用可能曜日',
  '開始時間',
  '終了時間',
  '利用可能日時特記事項',
  '説明',
  'バリアフリー情報',
  'URL',
  '備考',
] as const;

export type TPublicFacilityColumn = (typeof PUBLIC_FACILITY_COLUMNS)[number];
export type TPublicFacilityRow = Record<TPublicFacilityColumn, string>;
