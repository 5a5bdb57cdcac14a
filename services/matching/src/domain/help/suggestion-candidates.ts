import type { ReadableMembers } from '@hub/service-kit';
import type { MembershipReaders } from '../../authorization/caller-view.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { rankingIndexFeed } from '../../ranking/index.js';
import { homeSpacesOn } from '../../read-models/places.js';
import { TRUST_MAX_HOPS, type TrustViewer } from '../../read-models/trust.js';
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
  /** Today in Japan, for "registered with an organisation today" and home spaces today. */
  today: string;
  /** Only workers holding one of these skill codes; 'any' in complementary mode. */
  skillCodes: readonly string[] | 'any';
  /** The spaces of the ask (the request's, else the asker's home spaces today). */
  spaceIds: readonly string[];
  /**
   * Whose memberships the asker may read (spaces' rule): a shared home space counts only for
   * those, so a suggestion never reveals a membership the asker could not read in spaces.
   */
  membershipReaders: MembershipReaders;
  /** The referral links the asker may read; null: no distances. */
  trustViewer: TrustViewer | null;
};

/**
 * The workers who might help, filtered in SQL to those the asker may read and (with needs) to
 * holders of a needed skill, through the GIN index on worker.skills; each with the ask's spaces
 * they are homed at today among the memberships the asker may read, and their referral distance
 * from the asker over the links the asker may read (src/read-models/): one statement for the
 * workers, one for their shared home spaces, and the referral walk (one per hop) beside them.
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
  const [rows, distances] = await Promise.all([
    prisma.$queryRaw<{ memberId: string; municipalityCode: string | null; skills: unknown }[]>`
      SELECT w.member_id AS "memberId", w.municipality_code AS "municipalityCode", w.skills
        FROM worker w
       WHERE ${Prisma.join(conditions, ' AND ')}`,
    trustDistancesOf(prisma, query.askerId, query.trustViewer),
  ]);
  const homeSpaces = await homeSpacesOn(
    prisma,
    rows.map((row) => row.memberId),
    query.today,
    {
      spaceIds: query.spaceIds,
      operatorIds: query.membershipReaders.all ? null : query.membershipReaders.operatorIds,
    },
  );
  return rows.map((row) => ({
    memberId: row.memberId,
    municipalityCode: row.municipalityCode,
    skills: readSkills(row.skills),
    homeSpaceIds: homeSpaces.get(row.memberId) ?? [],
    trustHops: distances.get(row.memberId) ?? null,
  }));
}

/**
 * Referral steps from the asker over the links they may read, up to TRUST_MAX_HOPS: walked in
 * the ranking feed's in-memory graph (ranking/trust-graph.ts, the same rule as the SQL walk of
 * read-models/trust.ts, kept current by the same change log) — a well-connected asker's six
 * steps cross thousands of links, one planned statement per step in SQL.
 */
async function trustDistancesOf(
  prisma: PrismaClient,
  askerId: string,
  viewer: TrustViewer | null,
): Promise<ReadonlyMap<string, number>> {
  if (viewer === null) return new Map();
  const feed = rankingIndexFeed(prisma);
  await feed.current();
  return feed.trust.distancesFrom(askerId, viewer, TRUST_MAX_HOPS);
}

/**
 * The asker's own facts: their skills (a need they meet needs no helper), municipality and home
 * spaces on `today` (their own memberships, theirs to read).
 */
export async function loadAsker(prisma: PrismaClient, askerId: string, today: string) {
  const [worker, homeSpaces] = await Promise.all([
    prisma.worker.findUnique({ where: { memberId: askerId } }),
    homeSpacesOn(prisma, [askerId], today),
  ]);
  return {
    skills: new Map(readSkills(worker?.skills).map((skill) => [skill.code, skill.level])),
    municipalityCode: worker?.municipalityCode ?? null,
    homeSpaceIds: homeSpaces.get(askerId) ?? [],
  };
}
