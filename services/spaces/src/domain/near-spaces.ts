import { AppError } from '@hub/service-kit';
import { Prisma } from '../generated/prisma/client.js';

export type TNear = { latitude: number; longitude: number; radiusKm: number };

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/**
 * The SQL of a `near` search: a condition (inside the circle) and the distance to order by.
 *
 * The spatial index is core PostgreSQL's GiST on `point(longitude, latitude)` (migration
 * `space_directory`), not PostGIS: PostGIS is not available on the embedded PGlite, and this
 * works the same on both. The index answers `<@ box`, a bounding box of the circle in degrees
 * (wider in longitude by 1/cos of its farthest latitude); the exact great-circle (haversine)
 * distance is then computed only for the rows in the box. Japan lies far from the poles and the
 * antimeridian, so the box never wraps.
 */
export function nearSql(near: TNear): { where: Prisma.Sql; distance: Prisma.Sql } {
  const { latitude, longitude, radiusKm } = assertNear(near);
  const dLat = radiusKm / KM_PER_DEGREE;
  const farthestLatitude = Math.min(89, Math.abs(latitude) + dLat);
  const dLng = radiusKm / (KM_PER_DEGREE * Math.cos((farthestLatitude * Math.PI) / 180));
  const distance = Prisma.sql`(2 * ${EARTH_RADIUS_KM}::float8 * asin(sqrt(
      power(sin(radians(s.latitude - ${latitude}::float8) / 2), 2)
      + cos(radians(${latitude}::float8)) * cos(radians(s.latitude))
        * power(sin(radians(s.longitude - ${longitude}::float8) / 2), 2))))`;
  // The IS NOT NULL conditions match the partial index's predicate, so the planner may use it.
  const where = Prisma.sql`s.longitude IS NOT NULL AND s.latitude IS NOT NULL
    AND point(s.longitude, s.latitude) <@ box(
      point(${longitude - dLng}::float8, ${latitude - dLat}::float8),
      point(${longitude + dLng}::float8, ${latitude + dLat}::float8))
    AND ${distance} <= ${radiusKm}::float8`;
  return { where, distance };
}

function assertNear(near: TNear): TNear {
  const { latitude, longitude, radiusKm } = near;
  const fail = (field: string, ja: string, en: string) =>
    new AppError('BAD_USER_INPUT', `${ja} (${en})`, { field: `filter.near.${field}` });
  if (!(latitude >= -90 && latitude <= 90)) {
    throw fail('latitude', '緯度が範囲外', 'latitude out of range');
  }
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
