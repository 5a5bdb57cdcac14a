import { type CommitContext, commit, type EventDraft } from '@hub/event-bus';
import type { HelpRequest, PrismaClient } from '../../generated/prisma/client.js';
import { helpRequestData, parseHelpRequestFields } from './help-request-fields.js';

/**
 * Opens a help request for the asker and announces it (`matching.help-request.opened`) in the
 * same commit.
 */
export async function createHelpRequest(
  db: CommitContext<PrismaClient>,
  askerId: string,
  input: unknown,
): Promise<HelpRequest> {
  const { skills, ...fields } = parseHelpRequestFields(input);
  return commit(db, async (tx, emit) => {
    const request = await tx.helpRequest.create({
      data: { ...helpRequestData(askerId, fields), skills: { createMany: { data: skills } } },
    });
    emit(helpRequestOpenedEvent(request, skills));
    return request;
  });
}

/** `matching.help-request.opened`: ids, codes and the visibility — never the title or text. */
export function helpRequestOpenedEvent(
  request: HelpRequest,
  skills: readonly { code: string; minLevel: number }[],
): EventDraft {
  return {
    type: 'matching.help-request.opened',
    subject: request.id,
    data: {
      helpRequestId: request.id,
      askerId: request.askerId,
      visibleTo: request.visibleTo === 'MEMBERS' ? 'members' : 'asker-and-admins',
      skills: skills.map(({ code, minLevel }) => ({ code, minLevel })),
      municipalityCode: request.municipalityCode,
      spaceId: request.spaceId,
    },
  };
}
