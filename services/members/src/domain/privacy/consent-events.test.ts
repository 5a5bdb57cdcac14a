import { readdirSync, readFileSync } from 'node:fs';
import { type EventEnvelope, parseEvent } from '@hub/event-bus';
import { describe, expect, it } from '@jest/globals';
import {
  consentTo,
  newMember,
  newPartner,
  outboxOf,
  useMembers,
} from '../../../test/support/index.js';
import { withdrawConsent } from './consents.js';
import { eraseMember } from './erase-member.js';
import { PRIVACY_NOTICES } from './notices.js';

// Other services decide partner reads from the consents members publishes: every grant and
// withdrawal — and the end of every live consent at erasure — is an event, written in the
// transaction of the change (docs/authorization.md, "Personal data in every service").

const hub = useMembers();
const migrationsDir = new URL('../../../prisma/migrations', import.meta.url).pathname;

/** The consent events about a member, oldest first, validated as consumers validate them. */
async function consentEvents(memberId: string): Promise<EventEnvelope[]> {
  const rows = await outboxOf(hub, memberId);
  return rows
    .map((row) => parseEvent(row.payload))
    .filter((event) => event.type.startsWith('members.consent.'));
}

describe('consent events', () => {
  it('publishes a grant with its recipient, purpose and notice version — once per version', async () => {
    const memberId = await newMember(hub.prisma);
    const partnerId = await newPartner(hub.prisma);
    const consent = await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    // The same consent again changes nothing, so announces nothing.
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    const events = await consentEvents(memberId);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'members.consent.granted',
        source: 'members',
        subject: memberId,
        data: {
          memberId,
          recipientOrganizationId: partnerId,
          purpose: 'work-matching',
          noticeVersion: PRIVACY_NOTICES['work-matching'].version,
          grantedAt: consent.grantedAt.toISOString(),
        },
      }),
    ]);
  });

  it('publishes a withdrawal for that recipient and purpose', async () => {
    const memberId = await newMember(hub.prisma);
    const partnerId = await newPartner(hub.prisma);
    await consentTo(hub.prisma, memberId, partnerId, 'program-guidance');
    const withdrawn = await withdrawConsent(
      { prisma: hub.prisma },
      {
        memberId,
        recipientOrganizationId: partnerId,
        purpose: 'program-guidance',
      },
    );
    const events = await consentEvents(memberId);
    expect(events.map((event) => event.type)).toEqual([
      'members.consent.granted',
      'members.consent.withdrawn',
    ]);
    expect(events[1]!.data).toEqual({
      memberId,
      recipientOrganizationId: partnerId,
      purpose: 'program-guidance',
      withdrawnAt: withdrawn.withdrawnAt!.toISOString(),
      cause: 'withdrawal',
    });
  });

  it('ends every live consent at erasure, before members.member.erased, and never names a consent without recipient', async () => {
    const memberId = await newMember(hub.prisma);
    const [first, second] = [await newPartner(hub.prisma), await newPartner(hub.prisma)];
    await consentTo(hub.prisma, memberId, first, 'work-matching');
    await consentTo(hub.prisma, memberId, first, 'program-guidance');
    await consentTo(hub.prisma, memberId, second, 'work-matching');
    await withdrawConsent(
      { prisma: hub.prisma },
      {
        memberId,
        recipientOrganizationId: second,
        purpose: 'work-matching',
      },
    );
    // From before consents named a recipient: it let no partner read, so it is not announced.
    await hub.prisma.consent.create({
      data: { memberId, purpose: 'work-matching', noticeVersion: '2026-04' },
    });
    const { erasedAt } = await eraseMember(
      { prisma: hub.prisma },
      { memberId, requestedBy: 'member' },
    );
    const events = (await outboxOf(hub, memberId)).map((row) => parseEvent(row.payload));
    const atErasure = events.filter(
      (event) =>
        event.type === 'members.consent.withdrawn' &&
        (event.data as { cause: string }).cause === 'erasure',
    );
    expect(atErasure.map((event) => event.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recipientOrganizationId: first, purpose: 'work-matching' }),
        expect.objectContaining({ recipientOrganizationId: first, purpose: 'program-guidance' }),
      ]),
    );
    expect(atErasure).toHaveLength(2);
    for (const event of atErasure) {
      expect((event.data as { withdrawnAt: string }).withdrawnAt).toBe(erasedAt.toISOString());
    }
    expect(events.at(-1)!.type).toBe('members.member.erased');
    expect(await hub.rows('SELECT 1 FROM consent WHERE member_id = $1', [memberId])).toEqual([]);
  });
});

describe('the migration announce_existing_consents', () => {
  it('announces each live consent naming a recipient that existed before consents were announced', async () => {
    const memberId = await newMember(hub.prisma);
    const partnerId = await newPartner(hub.prisma);
    const withdrawnPartnerId = await newPartner(hub.prisma);
    const grantedAt = new Date('2026-12-05T01:02:03.456Z');
    // Rows as an older build left them: no event about them in the outbox.
    await hub.prisma.consent.createMany({
      data: [
        {
          memberId,
          recipientOrganizationId: partnerId,
          purpose: 'work-matching',
          noticeVersion: '2026-12',
          grantedAt,
        },
        {
          memberId,
          recipientOrganizationId: withdrawnPartnerId,
          purpose: 'work-matching',
          noticeVersion: '2026-12',
          withdrawnAt: new Date(),
        },
        { memberId, purpose: 'program-guidance', noticeVersion: '2026-04' },
      ],
    });
    const folder = readdirSync(migrationsDir).find((name) =>
      name.endsWith('_announce_existing_consents'),
    )!;
    // Run again on this database (already migrated): it announces whatever consents are live.
    await hub.rows(readFileSync(`${migrationsDir}/${folder}/migration.sql`, 'utf8'));
    const events = await consentEvents(memberId);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      type: 'members.consent.granted',
      version: 1,
      source: 'members',
      subject: memberId,
      data: {
        memberId,
        recipientOrganizationId: partnerId,
        purpose: 'work-matching',
        noticeVersion: '2026-12',
        grantedAt: grantedAt.toISOString(),
      },
    });
    expect(event!.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Number.parseInt(event!.id.replaceAll('-', '').slice(0, 12), 16)).toBe(
      Date.parse(event!.occurredAt),
    );
  });
});
