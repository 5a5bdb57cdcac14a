import { checkMunicipalityCode, prefectureNameOf } from '@hub/jp-codes';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { toCsv } from './csv.js';
import { PUBLIC_FACILITY_COLUMNS } from './public-facility-columns.js';
import { publicFacilityRow } from './public-facility-row.js';

export type ListPublicFacilitiesOptions = {
  /** A 6-digit 全国地方公共団体コード or a 2-digit prefecture code (JIS X 0401, 01–47). */
  code: string;
  isForSpreadsheet: boolean;
  /** Tokyo date, YYYY-MM-DD: hours exceptions before it are left out. */
  today: string;
};

export type TPublicFacilitiesResult =
  | { kind: 'csv'; csv: string }
  | { kind: 'invalid-code'; message: string }
  | { kind: 'not-found'; message: string };

/**
 * 公共施設一覧 of one municipality or one prefecture. Only open spaces are listed: the file is
 * where people (and the maps built on it) look for a place to go today, and a planned space
 * cannot be used yet nor a closed one any more. A municipality or prefecture the hub knows
 * but that has no open space gets the header alone.
 */
export async function listPublicFacilities(
  prisma: PrismaClient,
  options: ListPublicFacilitiesOptions,
): Promise<TPublicFacilitiesResult> {
  const area = await areaOf(prisma, options.code);
  if (area.kind !== 'area') return area;
  const spaces = await prisma.space.findMany({
    where: { status: 'OPEN', ...area.where },
    include: { municipality: true },
    orderBy: [{ municipalityCode: 'asc' }, { id: 'asc' }],
  });
  const rows = spaces.map((space) => {
    const row = publicFacilityRow(space, options.today);
    return PUBLIC_FACILITY_COLUMNS.map((column) => row[column]);
  });
  return {
    kind: 'csv',
    csv: toCsv([PUBLIC_FACILITY_COLUMNS, ...rows], { isForSpreadsheet: options.isForSpreadsheet }),
  };
}

type TArea =
  | { kind: 'area'; where: Prisma.SpaceWhereInput }
  | Exclude<TPublicFacilitiesResult, { kind: 'csv' }>;

async function areaOf(prisma: PrismaClient, code: string): Promise<TArea> {
  // Only a code-sized value is echoed back.
  const shown = code.length <= 12 ? `「${code}」` : '';
  if (code.length === 2) {
    const prefecture = prefectureNameOf(code);
    if (!prefecture) {
      return {
        kind: 'invalid-code',
        message: `都道府県コード${shown}は01〜47で指定してください (prefecture code must be 01–47)`,
      };
    }
    const known = await prisma.municipality.count({ where: { prefecture } });
    if (known === 0) {
      return {
        kind: 'not-found',
        message: `${prefecture}の市区町村は登録されていません (no municipality of ${code} is known)`,
      };
    }
    return { kind: 'area', where: { municipality: { prefecture } } };
  }
  const check = checkMunicipalityCode(code);
  if (!check.isValid) {
    return {
      kind: 'invalid-code',
      message:
        check.reason === 'format'
          ? `コード${shown}は6桁の市区町村コードか2桁の都道府県コードで指定してください (code must be a 6-digit municipality code or a 2-digit prefecture code)`
          : `市町村コード${shown}のチェックディジットが正しくありません (invalid check digit in municipality code)`,
    };
  }
  const municipality = await prisma.municipality.findUnique({ where: { code } });
  if (!municipality) {
    return {
      kind: 'not-found',
      message: `市区町村コード${shown}の市区町村は登録されていません (municipality ${code} is not known)`,
    };
  }
  return { kind: 'area', where: { municipalityCode: code } };
}
