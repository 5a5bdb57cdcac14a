import { todayInJapan } from '@hub/contracts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Who may work inside the client's satellite office on `day` (a Tokyo day, YYYY-MM-DD) — the
 * people a confidential order may rank. Mirrors spaces' canEnter for a satellite-office room:
 * the client must hold a lease covering that day on a room of a space that is open, and the
 * member must be affiliated with the client that day (members announces confirmed
 * affiliations only). canEnter also admits the space operator's staff to every room; they are
 * not the client's people, so a confidential order does not count them.
 */
export async function allowedInSatelliteOfficeOf(
  db: Db,
  clientOrganizationId: string,
  day: string = todayInJapan(),
): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ member_id: string }[]>`
    SELECT DISTINCT a.member_id::text
      FROM worker_affiliation a
     WHERE a.organization_id = ${clientOrganizationId}::uuid
       AND a.starts_on <= ${day}::date
       AND (a.ends_on IS NULL OR a.ends_on >= ${day}::date)
       AND EXISTS (
         SELECT 1 FROM satellite_lease l JOIN space s ON s.space_id = l.space_id
          WHERE l.tenant_organization_id = ${clientOrganizationId}::uuid
            AND l.starts_on <= ${day}::date
            AND (l.ends_on IS NULL OR l.ends_on >= ${day}::date)
            AND s.status = 'open'
       )`;
  return new Set(rows.map((row) => row.member_id));
}
