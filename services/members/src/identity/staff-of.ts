import { AFFILIATION_ROLES, activeOn, todayInJapan } from '@hub/contracts';
import { STAFF_ROLES, type StaffOf, type StaffRole } from '@hub/identity';
import type { PrismaClient } from '../generated/prisma/client.js';

const STAFF_AFFILIATION_ROLES = STAFF_ROLES.map(AFFILIATION_ROLES.keyOf);

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
  const rows = await prisma.affiliation.findMany({
    where: {
      memberId,
      role: { in: STAFF_AFFILIATION_ROLES },
      confirmedAt: { not: null },
      // Affiliations start and end on Japanese calendar days.
      ...activeOn(todayInJapan(now)),
    },
    select: { organizationId: true, role: true },
    orderBy: [{ organizationId: 'asc' }, { role: 'asc' }],
  });
  const seen = new Set<string>();
  const staffOf: StaffOf[] = [];
  for (const row of rows) {
    // Only staff roles were selected.
    const role = AFFILIATION_ROLES.valueOf(row.role) as StaffRole;
    const key = `${row.organizationId}/${role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    staffOf.push({ organizationId: row.organizationId, role });
  }
  return staffOf;
}
