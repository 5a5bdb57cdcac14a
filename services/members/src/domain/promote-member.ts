import { AFFILIATION_ROLES, dateColumn, dayBefore, isoDate } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Affiliation, PrismaClient } from '../generated/prisma/client.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { lockLiveMember } from './member-guard.js';

/** Confirmed if every affiliation followed was (their latest confirmation), else null. */
function keptConfirmation(followed: readonly Affiliation[]): Date | null {
  let latest: Date | null = null;
  for (const { confirmedAt } of followed) {
    if (!confirmedAt) return null;
    if (!latest || confirmedAt > latest) latest = confirmedAt;
  }
  return latest;
}

export const ZPromoteMember = z.object({
  memberId: z.uuid(),
  organizationId: z.uuid(),
  role: AFFILIATION_ROLES.keySchema,
  startsOn: z.iso.date(),
});

/**
 * A new role at the same organisation (worker → leader → staff): the member's current
 * affiliations there end the day before `startsOn` and a new one starts — never an overwrite,
 * so the career path stays readable. The new one keeps the confirmation of those it follows
 * (confirmed only if they all were, as of the latest confirmation), so a promotion never
 * confirms for the member. One `members.affiliation.changed` per end and start of a confirmed
 * affiliation (unconfirmed ones were never announced).
 */
export async function promoteMember(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Affiliation> {
  const fields = parseInput(ZPromoteMember, input);
  const lastDay = dayBefore(fields.startsOn);
  return commit(db, async (tx, emit) => {
    await lockLiveMember(tx, fields.memberId);
    const current = await tx.affiliation.findMany({
      where: {
        memberId: fields.memberId,
        organizationId: fields.organizationId,
        OR: [{ endsOn: null }, { endsOn: { gte: dateColumn(fields.startsOn) } }],
      },
      orderBy: { startsOn: 'asc' },
    });
    if (current.length === 0) {
      throw new AppError(
        'NOT_FOUND',
        'この組織での現在の所属がありません — addAffiliation を使ってください (no current affiliation at this organization; use addAffiliation)',
        { field: 'organizationId' },
      );
    }
    if (current.some((a) => isoDate(a.startsOn) > lastDay)) {
      throw new AppError(
        'BAD_USER_INPUT',
        '開始日は現在の所属の開始日より後にしてください (startsOn must be after the current affiliation started)',
        { field: 'startsOn' },
      );
    }
    if (current.every((a) => a.role === fields.role)) {
      throw new AppError(
        'BAD_USER_INPUT',
        'すでにこの役割です (the member already holds this role there)',
        { field: 'role' },
      );
    }
    const ended: Affiliation[] = [];
    for (const a of current) {
      ended.push(
        await tx.affiliation.update({ where: { id: a.id }, data: { endsOn: dateColumn(lastDay) } }),
      );
    }
    const promoted = await tx.affiliation.create({
      data: {
        memberId: fields.memberId,
        organizationId: fields.organizationId,
        role: fields.role,
        startsOn: dateColumn(fields.startsOn),
        confirmedAt: keptConfirmation(current),
      },
    });
    for (const a of ended) if (a.confirmedAt) emit(affiliationChangedEvent(a, 'ended'));
    if (promoted.confirmedAt) emit(affiliationChangedEvent(promoted, 'started'));
    return promoted;
  });
}
