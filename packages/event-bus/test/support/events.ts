import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '../../src/index.js';

export function memberRegistered(displayName = 'Hanako'): EventEnvelope {
  const memberId = randomUUID();
  return createEvent('members.member.registered', {
    subject: memberId,
    data: {
      memberId,
      displayName,
      displayNameKana: 'ハナコ',
      kind: 'freelancer',
      municipalityCode: '131016',
      skills: [{ code: 'typescript', level: 4 }],
    },
  });
}

export function organizationCreated(name = 'Kanda Works'): EventEnvelope {
  const organizationId = randomUUID();
  return createEvent('members.organization.created', {
    subject: organizationId,
    data: { organizationId, name, kind: 'small-business', municipalityCode: null },
  });
}
