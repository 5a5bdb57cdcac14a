import { z } from 'zod';
import type { AssignmentRole, Prisma } from '../../generated/prisma/client.js';
import { type TTeamRole, ZTeamRole } from '../work-order-fields.js';

/** A team role with how far it is filled: accepted (or further) and still offered. */
export type OpenRole = TTeamRole & { filled: number; offered: number; open: number };

/** The order's declared roles (stored JSON, written through ZTeamRole). */
export function teamRolesOf(roles: Prisma.JsonValue): TTeamRole[] {
  return z.array(ZTeamRole).parse(roles ?? []);
}

/**
 * Each declared role with the people filling it: accepted, in progress or done count as
 * filled, offers as pending; `open` is what is left to offer.
 */
export function openRolesOf(
  roles: readonly TTeamRole[],
  assignments: readonly { role: AssignmentRole; status: string }[],
): OpenRole[] {
  return roles.map((role) => {
    const mine = assignments.filter((assignment) => assignment.role === role.role);
    const filled = mine.filter((a) =>
      ['ACCEPTED', 'IN_PROGRESS', 'DONE'].includes(a.status),
    ).length;
    const offered = mine.filter((a) => a.status === 'OFFERED').length;
    return { ...role, filled, offered, open: Math.max(0, role.count - filled - offered) };
  });
}
