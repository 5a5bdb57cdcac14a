import { activeOn, todayInJapan } from '@hub/contracts';
import { AppError } from '@hub/service-kit';
import type { AssignmentRole, Prisma, WorkOrder } from '../../generated/prisma/client.js';
import { loadRequiredSkills } from '../../ranking/facts.js';
import {
  meetsRequiredSkills,
  type RequiredSkill,
  roleSkillRequirements,
} from '../../ranking/score.js';
import { allowedInSatelliteOfficeOf } from '../../read-models/satellite-access.js';
import { readSkills } from '../worker-skills.js';
import { teamRolesOf } from './team-roles.js';

/** Whether a member is registered with an organisation today (members' confirmed affiliations). */
export async function isRegisteredWith(
  tx: Prisma.TransactionClient,
  memberId: string,
  organizationId: string,
): Promise<boolean> {
  const row = await tx.workerAffiliation.findFirst({
    where: { memberId, organizationId, ...activeOn(todayInJapan()) },
    select: { memberId: true },
  });
  return row !== null;
}

/**
 * Roles whose work is the order's own, so they need its skills. A leader coordinates the team
 * (distributes, answers questions, reports) rather than doing the work, and is chosen by the
 * distributor rather than from the candidates, so an order's skills do not bind the role — nor
 * do the skills a team order declares for it, which describe the team's lead to the people
 * reading the order.
 */
const SKILLED_ROLES: readonly AssignmentRole[] = ['WORKER', 'REVIEWER'];

/**
 * Refuses a member who may not take work of this order: not a worker matching knows (or
 * erased), not registered with the organisation that receives the order (the centre, or the
 * partner of a delegated part), for a worker or reviewer meeting none of the order's required
 * skills at its minimum level (the ranking's rule, meetsRequiredSkills) or — on a team order —
 * none of the skills their role declares (roleSkillRequirements), or — for a confidential
 * order — not allowed into the client's satellite office today (the satellite-access read
 * model: affiliated with the client while it holds a lease on an open space; the same rule
 * ranking applies).
 */
export async function requireEligible(
  tx: Prisma.TransactionClient,
  order: Pick<WorkOrder, 'id' | 'receivingCentreId' | 'clientId' | 'requiresOnSite' | 'roles'>,
  memberId: string,
  role: AssignmentRole,
): Promise<void> {
  const worker = await tx.worker.findUnique({
    where: { memberId },
    select: { memberId: true, skills: true },
  });
  if (!worker) {
    throw new AppError(
      'NOT_ELIGIBLE',
      'このワーカーは登録されていません (no such worker: not registered, or erased)',
      { field: 'memberId' },
    );
  }
  const receiver = order.receivingCentreId ?? order.clientId;
  if (!(await isRegisteredWith(tx, memberId, receiver))) {
    throw new AppError(
      'NOT_ELIGIBLE',
      'このワーカーは受託組織に登録されていません (the worker is not registered with the receiving organisation)',
      { field: 'memberId' },
    );
  }
  if (SKILLED_ROLES.includes(role)) {
    const requirements = await loadRequiredSkills(tx, order.id);
    const skills = readSkills(worker.skills);
    if (!meetsRequiredSkills(requirements, skills)) {
      const list = describeSkills(requirements);
      throw new AppError(
        'NOT_ELIGIBLE',
        `このワーカーは発注の必要スキル (${list}) をどれも必要なレベルで持っていません (the worker holds none of the order’s required skills at its minimum level: ${list})`,
        { field: 'memberId' },
      );
    }
    const declared = teamRolesOf(order.roles).find((entry) => entry.role === role);
    const roleRequirements = roleSkillRequirements(declared?.skillCodes ?? [], requirements);
    if (!meetsRequiredSkills(roleRequirements, skills)) {
      const list = describeSkills(roleRequirements);
      throw new AppError(
        'NOT_ELIGIBLE',
        `このワーカーは役割「${role}」のスキル (${list}) をどれも必要なレベルで持っていません (the worker holds none of the ${role} role’s skills at the level needed: ${list})`,
        { field: 'memberId' },
      );
    }
  }
  if (
    order.requiresOnSite &&
    !(await allowedInSatelliteOfficeOf(tx, order.clientId)).has(memberId)
  ) {
    throw new AppError(
      'NOT_ELIGIBLE',
      '機密案件のため発注元の拠点で作業できるワーカーに限られます (confidential order: only workers allowed into the client’s office)',
      { field: 'memberId' },
    );
  }
}

/** Skills as a refusal lists them: "data-entry 3+, excel 1+". */
function describeSkills(skills: readonly RequiredSkill[]): string {
  return skills.map((skill) => `${skill.code} ${skill.minimumLevel}+`).join(', ');
}
