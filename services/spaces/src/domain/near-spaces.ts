import { AppError } from '@hub/service-kit';
import type { Prisma, PrismaClient, Space } from '../generated/prisma/client.js';
import type { PageQuery } from './search-spaces.js';

export type TNear = { latitude: number; longitude: number; radiusKm: number };

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/**
 * Spaces within `radiusKm` of a point that also meet `where`, nearest first (ties by id).
 *
 * The spatial index is core PostgreSQL's GiST on `point(longitude, latitude)` (migration
 * `space_directory`), not PostGIS: PostGIS is not available on the embedded PGlite, and this
 * works the same on both. The index answers `<@ box`, a bounding box of the circle in degrees
 * (wider in longitude by 1/cos(latitude)); the exact great-circle (haversine) distance is then
 * computed only for the rows in the box. Japan lies far from the poles and the antimeridian,
 * so the box never wraps.
 */
export async function spacesNear(
  prisma: PrismaClient,
  near: TNear,
  where: Prisma.SpaceWhereInput,
): Promise<{ count: number; page: (prisma: PrismaClient, query: PageQuery) => Promise<Space[]> }> {
  const { latitude, longitude, radiusKm } = assertNear(near);
  const dLat = radiusKm / KM_PER_DEGREE;
  const farthestLatitude = Math.min(89, Math.abs(latitude) + dLat);
  const dLng = radiusKm / (KM_PER_DEGREE * Math.cos((farthestLatitude * Math.PI) / 180));
  const inCircle = await prisma.$queryRaw<{ id: string; distance_km: number }[]>`
    SELECT id, distance_km FROM (
      SELECT s.id::text AS id,
             2 * ${EARTH_RADIUS_KM}::float8 * asin(sqrt(
               power(sin(radians(s.latitude - ${latitude}::float8) / 2), 2)
               + cos(radians(${latitude}::float8)) * cos(radians(s.latitude))
                 * power(sin(radians(s.longitude - ${longitude}::float8) / 2), 2))) AS distance_km
      FROM space s
      WHERE s.longitude IS NOT NULL AND s.latitude IS NOT NULL
        AND point(s.longitude, s.latitude) <@ box(
          point(${longitude - dLng}::float8, ${latitude - dLat}::float8),
          point(${longitude + dLng}::float8, ${latitude + dLat}::float8))
    ) d
    WHERE distance_km <= ${radiusKm}::float8
    ORDER BY distance_km, id`;
  // The other conditions through Prisma, on the few ids left: one condition language.
  const matching =
    Object.keys(where).length === 0 || inCircle.length === 0
      ? null
      : new Set(
          (
            await prisma.space.findMany({
              where: { AND: [where, { id: { in: inCircle.map((row) => row.id) } }] },
              select: { id: true },
            })
          ).map((row) => row.id),
        );
  const ordered = matching ? inCircle.filter((row) => matching.has(row.id)) : inCircle;
  const distances = new Map(ordered.map((row) => [row.id, row.distance_km]));
  const ids = ordered.map((row) => row.id);
  return {
    count: ids.length,
    page: async (client, query) => {
      const { take, skip, cursor, where: _where, ...shape } = query;
      const pageIds = sliceLikePrisma(ids, { take, skip, cursor });
      if (pageIds.length === 0) return [];
      const rows = await client.space.findMany({
        ...(shape as object),
        where: { id: { in: pageIds } },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return pageIds.flatMap((id) => {
        const row = byId.get(id);
        if (!row) return [];
        return [Object.assign(row, { distanceKm: Math.round(distances.get(id)! * 1000) / 1000 })];
      });
    },
  };
}

function assertNear(near: TNear): TNear {
  const { latitude, longitude, radiusKm } = near;
  const fail = (field: string, ja: string, en: string) =>
    new AppError('BAD_USER_INPUT', `${ja} (${en})`, { field: `filter.near.${field}` });
  if (!(latitude >= -90 && latitude <= 90))
    throw fail('latitude', '緯度が範囲外', 'latitude out of range');
  if (!(longitude >= -180 && longitude <= 180)) {
    throw fail('longitude', '経度が範囲外', 'longitude out of range');
  }
  if (!(radiusKm > 0 && radiusKm <= 500)) {
    throw fail(
      'radiusKm',
      '半径は 0 より大きく 500 km まで',
      'radius must be above 0 and at most 500 km',
    );
  }
  return near;
}

/** Cuts a page from an ordered id list as Prisma's findMany does with take/skip/cursor. */
export function sliceLikePrisma(
  ids: string[],
  { take, skip = 0, cursor }: { take?: number; skip?: number; cursor?: { id: string } },
): string[] {
  const at = cursor ? ids.indexOf(cursor.id) : -1;
  if (cursor && at < 0) return [];
  if (take === undefined || take >= 0) {
    const begin = (cursor ? at : 0) + skip;
    return ids.slice(begin, take === undefined ? undefined : begin + take);
  }
  const end = (cursor ? at + 1 : ids.length) - skip;
  return end <= 0 ? [] : ids.slice(Math.max(0, end + take), end);
}
