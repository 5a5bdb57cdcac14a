import { readdirSync, readFileSync } from 'node:fs';
import { type EventEnvelope, parseEvent } from '@hub/event-bus';
import { describe, expect, it } from '@jest/globals';
import { newMember, outboxOf, useMembers } from '../../../test/support/index.js';
import { eraseMember } from '../privacy/erase-member.js';
import { setProfileVisibility } from '../set-profile-visibility.js';

// Matching computes trust from members.referral.changed: who introduced each member and the
// visibility deciding who sees the links to those they introduced. Every change of either is
// an event, written in the transaction of the change.

const hub = useMembers();
const migrationsDir = new URL('../../../prisma/migrations', import.meta.url).pathname;

/** The referral events about a member, oldest first, validated as consumers validate them. */
async function referralEvents(memberId: string): Promise<EventEnvelope[]> {
  const rows = await outboxOf(hub, memberId);
  return rows
    .map((row) => parseEvent(row.payload))
    .filter((event) => event.type === 'members.referral.changed');
}

describe('referral events', () => {
  it('announces every registration: the referrer (or none) and the visibility', async () => {
    const referrerId = await newMember(hub.prisma, { profileVisibility: 'PUBLIC' });
    const memberId = await newMember(hub.prisma, { referredById: referrerId });
    expect((await referralEvents(referrerId)).map((event) => event.data)).toEqual([
      { memberId: referrerId, referredById: null, profileVisibility: 'public' },
    ]);
    expect((await referralEvents(memberId)).map((event) => event.data)).toEqual([
      { memberId, referredById: referrerId, profileVisibility: 'members' },
    ]);
  });

  it('announces a change of visibility, and nothing when it stays as it was', async () => {
    const memberId = await newMember(hub.prisma);
    await setProfileVisibility({ prisma: hub.prisma }, memberId, 'STAFF');
    await setProfileVisibility({ prisma: hub.prisma }, memberId, 'STAFF');
    expect((await referralEvents(memberId)).map((event) => event.data)).toEqual([
      { memberId, referredById: null, profileVisibility: 'members' },
      { memberId, referredById: null, profileVisibility: 'staff' },
    ]);
  });

  it('announces at erasure: no referrer, staff — before members.member.erased', async () => {
    const referrerId = await newMember(hub.prisma);
    const memberId = await newMember(hub.prisma, {
      referredById: referrerId,
      profileVisibility: 'PUBLIC',
    });
    await eraseMember({ prisma: hub.prisma }, { memberId, requestedBy: 'member' });
    const events = (await outboxOf(hub, memberId)).map((row) => parseEvent(row.payload));
    const last = events.slice(-2);
    expect(last.map((event) => event.type)).toEqual([
      'members.referral.changed',
      'members.member.erased',
    ]);
    expect(last[0]!.data).toEqual({ memberId, referredById: null, profileVisibility: 'staff' });
  });
});

describe('the migration announce_existing_referrals', () => {
  it('announces each member not erased, with their referrer and visibility', async () => {
    const referrerId = await newMember(hub.prisma, { profileVisibility: 'STAFF' });
    const memberId = await newMember(hub.prisma, { referredById: referrerId });
    const erasedId = await newMember(hub.prisma, { referredById: referrerId });
    await eraseMember({ prisma: hub.prisma }, { memberId: erasedId, requestedBy: 'member' });
    // As an older build left them: no referral event in the outbox.
    await hub.rows(`DELETE FROM outbox_event WHERE type = 'members.referral.changed'`);
    const folder = readdirSync(migrationsDir).find((name) =>
      name.endsWith('_announce_existing_referrals'),
    )!;
    // Run again on this database (already migrated): it announces whoever is there now.
    await hub.rows(readFileSync(`${migrationsDir}/${folder}/migration.sql`, 'utf8'));
    const [event] = await referralEvents(memberId);
    expect(event).toMatchObject({
      type: 'members.referral.changed',
      version: 1,
      source: 'members',
      subject: memberId,
      data: { memberId, referredById: referrerId, profileVisibility: 'members' },
    });
    expect(event!.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Number.parseInt(event!.id.replaceAll('-', '').slice(0, 12), 16)).toBe(
      Date.parse(event!.occurredAt),
    );
    expect((await referralEvents(referrerId)).map((e) => e.data)).toEqual([
      { memberId: referrerId, referredById: null, profileVisibility: 'staff' },
    ]);
    expect(await referralEvents(erasedId)).toEqual([]);
  });
});
