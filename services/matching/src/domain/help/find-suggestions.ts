import { AppError, requestToday } from '@hub/service-kit';
import { callerMembershipReaders, callerTrustViewer } from '../../authorization/caller-view.js';
import { workerGuard } from '../../authorization/worker-access.js';
import type { MatchingContext } from '../../builder.js';
import type { HelpRequest, HelpRequestSkill } from '../../generated/prisma/client.js';
import { rankSuggestions, type TNeededSkill, type TSuggestion, unmetNeeds } from './suggest.js';
import { loadAsker, loadCandidates } from './suggestion-candidates.js';

/** At most this many suggestions per list (the `first` argument's maximum). */
export const SUGGESTIONS_MAX = 20;

/**
 * The members the caller may read the profile of — the caller being the asker: the schema lets
 * only the asker see their suggestions, so "visible to the asker" is the kit's rule for them.
 */
async function readableByAsker(context: MatchingContext) {
  const readable = await workerGuard.readableMembers(context, 'profile');
  if (readable instanceof AppError) throw readable;
  return readable;
}

/** Suggestions for one help request, for its asker. */
export async function suggestForHelpRequest(
  context: MatchingContext,
  request: HelpRequest & { skills: HelpRequestSkill[] },
  first: number,
): Promise<TSuggestion[]> {
  const asker = await loadAsker(context.prisma, request.askerId, requestToday(context));
  const needs = request.skills.map(({ code, minLevel }) => ({ code, minLevel }));
  return rank(
    context,
    {
      askerId: request.askerId,
      mode: 'needs',
      needs,
      askerSkills: asker.skills,
      municipalityCode: request.municipalityCode ?? asker.municipalityCode,
      ...(request.spaceId
        ? { spaceIds: [request.spaceId], spacesOf: 'request' as const }
        : { spaceIds: asker.homeSpaceIds, spacesOf: 'asker' as const }),
    },
    first,
  );
}

/**
 * People a member could work with: the same scoring over the skills of their open help
 * requests together (the highest minimum level per code), or — with no open request — people
 * with skills they lack.
 */
export async function suggestCollaborators(
  context: MatchingContext,
  memberId: string,
  first: number,
): Promise<TSuggestion[]> {
  const [asker, skills] = await Promise.all([
    loadAsker(context.prisma, memberId, requestToday(context)),
    context.prisma.helpRequestSkill.findMany({
      where: { helpRequest: { askerId: memberId, status: 'OPEN' } },
    }),
  ]);
  const byCode = new Map<string, number>();
  for (const { code, minLevel } of skills) {
    byCode.set(code, Math.max(minLevel, byCode.get(code) ?? 0));
  }
  const needs: TNeededSkill[] = [...byCode].map(([code, minLevel]) => ({ code, minLevel }));
  return rank(
    context,
    {
      askerId: memberId,
      mode: needs.length > 0 ? 'needs' : 'complementary',
      needs,
      askerSkills: asker.skills,
      municipalityCode: asker.municipalityCode,
      spaceIds: asker.homeSpaceIds,
      spacesOf: 'asker',
    },
    first,
  );
}

async function rank(
  context: MatchingContext,
  ask: Parameters<typeof rankSuggestions>[0],
  first: number,
): Promise<TSuggestion[]> {
  // A need the asker meets alone brings nobody in; with every need met, nobody is suggested.
  const codes = ask.mode === 'needs' ? unmetNeeds(ask).map((need) => need.code) : 'any';
  const today = requestToday(context);
  // Every fact is read as the caller (the asker: the schema lets only them ask) may read it.
  const candidates = await loadCandidates(context.prisma, {
    askerId: ask.askerId,
    readable: await readableByAsker(context),
    today,
    skillCodes: codes,
    spaceIds: ask.spaceIds,
    membershipReaders: callerMembershipReaders(context),
    trustViewer: callerTrustViewer(context, today),
  });
  return rankSuggestions(ask, candidates, Math.min(first, SUGGESTIONS_MAX));
}
