import type { ReadableMembers } from '@hub/service-kit';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { readableCondition } from '../search-workers.js';
import { readSkills } from '../worker-skills.js';
import type { TSuggestionCandidate } from './suggest.js';

export type CandidateQuery = {
  askerId: string;
  /**
   * The members whose profile the asker may read (the kit's rule, group `profile`): skills and
   * municipality are profile facts, so every candidate's facts are readable by the asker and a
   * suggestion reveals nothing reading the worker would refuse.
   */
  readable: ReadableMembers;
  /** Today in Japan, for "registered with an organisation today". */
  today: string;
  /** Only workers holding one of these skill codes; 'any' in complementary mode. */
  skillCodes: readonly string[] | 'any';
};

/**
 * The workers who might help, filtered in SQL to those the asker may read and (with needs) to
 * holders of a needed skill, through the GIN index on worker.skills. Home spaces and referral
 * distances come from read models matching does not hold yet (home spaces and referrals are
 * announced by spaces and members and copied by the read-model work of issue 11): until they
 * are, nobody shares a home space or a referral path, and those parts add nothing.
 */
export async function loadCandidates(
  prisma: PrismaClient,
  query: CandidateQuery,
): Promise<TSuggestionCandidate[]> {
  const readable = readableCondition(query.readable, query.today);
  if (readable === null) return [];
  const conditions = [Prisma.sql`w.member_id <> ${query.askerId}::uuid`];
  if (readable !== true) conditions.push(readable);
  if (query.skillCodes !== 'any') {
    if (query.skillCodes.length === 0) return [];
    conditions.push(
      Prisma.sql`(${Prisma.join(
        query.skillCodes.map(
          (code) => Prisma.sql`w.skills @> ${JSON.stringify([{ code }])}::jsonb`,
        ),
        ' OR ',
      )})`,
    );
  }
  const rows = await prisma.$queryRaw<
    { memberId: string; municipalityCode: string | null; skills: unknown }[]
  >`
    SELECT w.member_id AS "memberId", w.municipality_code AS "municipalityCode", w.skills
      FROM worker w
     WHERE ${Prisma.join(conditions, ' AND ')}`;
  return rows.map((row) => ({
    memberId: row.memberId,
    municipalityCode: row.municipalityCode,
    skills: readSkills(row.skills),
    homeSpaceIds: [],
    trustHops: null,
  }));
}

/** The asker's own facts: their skills (a need they meet needs no helper) and municipality. */
export async function loadAsker(prisma: PrismaClient, askerId: string) {
  const worker = await prisma.worker.findUnique({ where: { memberId: askerId } });
  return {
    skills: new Map(readSkills(worker?.skills).map((skill) => [skill.code, skill.level])),
    municipalityCode: worker?.municipalityCode ?? null,
  };
}
