import { activeOn, dateColumn, isoDate, todayInJapan } from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Affiliation, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { affiliationChangedEvent } from './affiliation-events.js';
import { affiliationNotFound } from './end-affiliation.js';
import { lockLiveMember } from './member-guard.js';

// An affiliation someone else records for a member (an organisation's admins or staff adding
// an existing member) starts unconfirmed: it gives the organisation's staff no access to the
// member's personal data, and the member no staff rights, until the member confirms it.
// Otherwise any member could create an organisation, add a stranger to it and read the
// stranger's personal data. Unconfirmed affiliations are not announced either:
// `members.affiliation.changed` (started) is written when the member confirms.

/** Whether an affiliation is confirmed as it is created (decided by who creates it). */
export type AffiliationConfirmation = { confirmed: boolean };

/** The `confirmedAt` of a new affiliation. */
export function confirmedAtOnCreation({ confirmed }: AffiliationConfirmation): Date | null {
  return confirmed ? new Date() : null;
}

/**
 * Affiliations that count — for staff access to the member's personal data and for the
 * member's own staff rights: confirmed, and active on the date (Japanese calendar day).
 */
export function confirmedActiveOn(isoDateText: string) {
  return {
    confirmedAt: { not: null },
    ...activeOn(isoDateText),
  } satisfies Prisma.AffiliationWhereInput;
}

/**
 * Affiliations awaiting the member on a date: unconfirmed, started, and running beyond that
 * day — a declined one ends that day, so it leaves the list at once. The ones confirm and
 * decline accept.
 */
export function pendingOn(isoDateText: string) {
  const day = dateColumn(isoDateText);
  return {
    confirmedAt: null,
    startsOn: { lte: day },
    OR: [{ endsOn: null }, { endsOn: { gt: day } }],
  } satisfies Prisma.AffiliationWhereInput;
}

function assertPending(affiliation: Affiliation, today: string): void {
  const startsOn = isoDate(affiliation.startsOn);
  if (startsOn > today) {
    throw new AppError(
      'CONFLICT',
      `この所属は ${startsOn} に始まります — 開始日から確認・辞退できます (the affiliation has not started yet; it can be confirmed or declined from its first day)`,
      { field: 'id' },
    );
  }
  if (affiliation.endsOn && isoDate(affiliation.endsOn) <= today) {
    throw new AppError(
      'CONFLICT',
      `この所属は ${isoDate(affiliation.endsOn)} に終了します (the affiliation has ended or ends today)`,
      { field: 'id' },
    );
  }
}

export const ZAffiliationAnswer = z.object({ id: z.uuid() });

/** The affiliation, read again under its member's lock (concurrent answers run one by one). */
async function lockedAffiliation(tx: Prisma.TransactionClient, id: string): Promise<Affiliation> {
  const found = await tx.affiliation.findUnique({ where: { id }, select: { memberId: true } });
  if (!found) throw affiliationNotFound();
  // The input names the affiliation, not the member: an erased member is reported at its id.
  await lockLiveMember(tx, found.memberId, 'id');
  const affiliation = await tx.affiliation.findUnique({ where: { id } });
  if (!affiliation) throw affiliationNotFound();
  return affiliation;
}

/**
 * The member confirms an affiliation awaiting them: from now on it counts, and it is announced
 * (`members.affiliation.changed`, started). Confirming a confirmed one changes nothing.
 */
export async function confirmAffiliation(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Affiliation> {
  const { id } = parseInput(ZAffiliationAnswer, input);
  return commit(db, async (tx, emit) => {
    const affiliation = await lockedAffiliation(tx, id);
    if (affiliation.confirmedAt) return affiliation;
    assertPending(affiliation, todayInJapan());
    const confirmed = await tx.affiliation.update({
      where: { id },
      data: { confirmedAt: new Date() },
    });
    emit(affiliationChangedEvent(confirmed, 'started'));
    return confirmed;
  });
}

/**
 * The member declines an affiliation awaiting them: it ends today (its last day) and stays as
 * history, never confirmed. It was never announced, so nothing is published.
 */
export async function declineAffiliation(
  db: CommitContext<PrismaClient>,
  input: unknown,
): Promise<Affiliation> {
  const { id } = parseInput(ZAffiliationAnswer, input);
  return commit(db, async (tx) => {
    const affiliation = await lockedAffiliation(tx, id);
    if (affiliation.confirmedAt) {
      throw new AppError(
        'CONFLICT',
        '確認済みの所属です — 終了するには endAffiliation を使ってください (already confirmed; end it with endAffiliation)',
        { field: 'id' },
      );
    }
    const today = todayInJapan();
    assertPending(affiliation, today);
    return tx.affiliation.update({ where: { id }, data: { endsOn: dateColumn(today) } });
  });
}
