import { STAFF_ROLES, type StaffOf, type StaffRole } from '@hub/identity';
import type { AffiliationRole, PrismaClient } from '../generated/prisma/client.js';

const STAFF_AFFILIATION_ROLES = STAFF_ROLES.map(
  (role) => role.toUpperCase() as AffiliationRole & Uppercase<StaffRole>,
);

const tokyoDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Japan (YYYY-MM-DD): affiliations start and end on Japanese calendar days. */
export function tokyoDate(now: Date): string {
  return tokyoDateFormat.format(now);
}

/**
 * Organisations where the member holds a staff role today (started, not yet ended; an
 * affiliation ending today still counts) and has confirmed it — what an access token's
 * `staffOf` claims. An unconfirmed staff role (added by the organisation, not yet confirmed by
 * the member) gives no staff rights.
 */
export async function activeStaffOf(
  prisma: Pick<PrismaClient, 'affiliation'>,
  memberId: string,
  now: Date,
): Promise<StaffOf[]> {
  const today = new Date(`${tokyoDate(now)}T00:00:00Z`);
  const rows = await prisma.affiliation.findMany({
    where: {
      memberId,
      role: { in: STAFF_AFFILIATION_ROLES },
      confirmedAt: { not: null },
      startsOn: { lte: today },
      OR: [{ endsOn: null }, { endsOn: { gte: today } }],
    },
    select: { organizationId: true, role: true },
    orderBy: [{ organizationId: 'asc' }, { role: 'asc' }],
  });
  const seen = new Set<string>();
  const staffOf: StaffOf[] = [];
  for (const row of rows) {
    const role = row.role.toLowerCase() as StaffRole;
    const key = `${row.organizationId}/${role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    staffOf.push({ organizationId: row.organizationId, role });
  }
  return staffOf;
}
