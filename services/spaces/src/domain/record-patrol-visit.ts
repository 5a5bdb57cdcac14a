import {
  isoDate,
  PATROL_NEEDS,
  PATROL_REQUEST_KINDS,
  todayInJapan,
  ZTokyoDate,
} from '@hub/contracts';
import { type CommitContext, commit } from '@hub/event-bus';
import { AppError, parseInput, type SpeaksFor } from '@hub/service-kit';
import { z } from 'zod';
import type { PatrolRequest, PatrolVisit, PrismaClient } from '../generated/prisma/client.js';
import { toDbDate } from './space-input.js';

/** Limits shared with the GraphQL input (schema/patrol-visit.ts declares the same numbers). */
export const PATROL_LIMITS = {
  notes: 10_000,
  publicSummary: 2_000,
  subject: 500,
  visitors: 20,
  requests: 50,
} as const;

const ZPatrolRequestInput = z.object({
  kind: PATROL_REQUEST_KINDS.keySchema,
  subject: z
    .string()
    .trim()
    .min(1, '相談内容を入力してください (say what the request is about)')
    .max(PATROL_LIMITS.subject),
  // Absent or null: a coworker who was not named. The kit has already refused a non-UUID id
  // from a client; seeds and other callers of the domain are checked here.
  requesterMemberId: z.uuid('会員 ID ではありません (not a member id)').nullish(),
});

const ZRecordPatrolVisit = z.object({
  // Seeds pass fixed ids so the demo data stays the same everywhere; clients never do.
  id: z.uuid().optional(),
  spaceId: z.uuid(),
  supporterId: z.uuid(),
  visitedOn: ZTokyoDate,
  visitorIds: z
    .array(z.uuid('会員 ID ではありません (not a member id)'))
    .min(1, '訪問者を 1 人以上指定してください (name at least one visitor)')
    .max(PATROL_LIMITS.visitors),
  notes: z.string().trim().max(PATROL_LIMITS.notes).nullish(),
  needs: z.array(PATROL_NEEDS.keySchema).max(PATROL_NEEDS.values.length).nullish(),
  requests: z.array(ZPatrolRequestInput).max(PATROL_LIMITS.requests).nullish(),
  publicSummary: z.string().trim().max(PATROL_LIMITS.publicSummary).nullish(),
});
export type TRecordPatrolVisit = z.input<typeof ZRecordPatrolVisit>;

export type RecordPatrolVisitOptions = {
  /** The member recording it (null for seeds). */
  recordedBy: string | null;
  /**
   * Whom the caller speaks for (`callerSpeaksFor`): a public summary is shown under the space,
   * so it takes effect at once only when the caller speaks for the space's operator (or the
   * space has none); otherwise it awaits that operator's admin.
   */
  speaksFor: SpeaksFor;
  /** Today in Japan, fixed by the caller so tests can ask about the day boundary. */
  today?: string;
};

export type RecordedPatrolVisit = PatrolVisit & { requests: PatrolRequest[] };

/**
 * Records a supporter's visit with the requests raised there and announces it
 * (`spaces.patrol-visit.recorded`, each request with its own id) in the same transaction.
 * Who may record it (the supporter's staff, hub admins) is the schema's rule.
 */
export async function recordPatrolVisit(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: RecordPatrolVisitOptions,
): Promise<RecordedPatrolVisit> {
  const fields = parseInput(ZRecordPatrolVisit, input);
  const today = options.today ?? todayInJapan();
  // ISO dates compare as text; a visit is recorded after it happened, in Japan's calendar.
  if (fields.visitedOn > today) {
    throw new AppError(
      'BAD_USER_INPUT',
      `訪問日 ${fields.visitedOn} は未来の日付です (the visit date is in the future)`,
      { field: 'visitedOn' },
    );
  }
  // Duplicates would count one person twice among the visitors.
  const visitorIds = [...new Set(fields.visitorIds)];
  const needs = [...new Set(fields.needs ?? [])];
  const requests = fields.requests ?? [];
  return commit(db, async (tx, emit) => {
    const space = await tx.space.findUnique({
      where: { id: fields.spaceId },
      select: { operatorId: true },
    });
    if (!space) {
      throw new AppError('NOT_FOUND', `拠点 ${fields.spaceId} が見つかりません (space not found)`, {
        field: 'spaceId',
      });
    }
    const publicSummary = fields.publicSummary || null;
    const isSummaryInEffect =
      publicSummary !== null && (space.operatorId === null || options.speaksFor(space.operatorId));
    const visit = await tx.patrolVisit.create({
      data: {
        ...(fields.id ? { id: fields.id } : {}),
        spaceId: fields.spaceId,
        supporterId: fields.supporterId,
        visitedOn: toDbDate(fields.visitedOn)!,
        visitorIds,
        notes: fields.notes || null,
        needs,
        publicSummary,
        summaryConfirmedAt: isSummaryInEffect ? new Date() : null,
        recordedBy: options.recordedBy,
        requests: {
          create: requests.map((request, position) => ({
            position,
            kind: request.kind,
            subject: request.subject,
            requesterMemberId: request.requesterMemberId ?? null,
          })),
        },
      },
      include: { requests: { orderBy: { position: 'asc' } } },
    });
    emit('spaces.patrol-visit.recorded', {
      subject: visit.id,
      data: {
        visitId: visit.id,
        spaceId: visit.spaceId,
        supporterId: visit.supporterId,
        visitedOn: isoDate(visit.visitedOn),
        needs: visit.needs.map((need) => PATROL_NEEDS.valueOf(need)),
        // A summary awaiting the operator is announced only once confirmed.
        publicSummary: isSummaryInEffect ? visit.publicSummary : null,
        requests: visit.requests.map((request) => ({
          requestId: request.id,
          kind: PATROL_REQUEST_KINDS.valueOf(request.kind),
          subject: request.subject,
          requesterMemberId: request.requesterMemberId,
        })),
      },
    });
    return visit;
  });
}
