import { randomUUID } from 'node:crypto';
import type { EventBus, EventEnvelope } from '@hub/event-bus';
import { waitFor } from '@hub/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buses,
  countRows,
  startTestService,
  type TestService,
} from '../../test/support/matching-service.js';
import {
  consentGranted,
  consentWithdrawn,
  memberErased,
  shifted,
} from '../../test/support/member-events.js';
import { MEMBER_CONSENTS_CONSUMER } from './member-consents.js';
import { MEMBER_ERASURE_CONSUMER } from './member-erasure.js';

// Matching's copy of members' consents: the newest event per (member, recipient, purpose)
// holds, whatever order the events arrive in, and an erased member's consents go for good.

type ConsentRow = {
  purpose: string;
  notice_version: string | null;
  granted_at: Date | null;
  withdrawn_at: Date | null;
  source_event_at: Date;
};

describe.each(buses)('member consents fed by members.consent.* ($name)', (factory) => {
  let bus: EventBus;
  let cleanupBus: () => Promise<void>;
  let hub: TestService;

  beforeAll(async () => {
    ({ bus, cleanup: cleanupBus } = await factory.connect());
    hub = await startTestService(bus);
  });

  afterAll(async () => {
    await hub?.close();
    await cleanupBus?.();
  });

  const facts = () => ({ memberId: randomUUID(), recipientOrganizationId: randomUUID() });

  async function consentsOf(memberId: string): Promise<ConsentRow[]> {
    const result = await hub.sql.query<ConsentRow>(
      `SELECT purpose, notice_version, granted_at, withdrawn_at, source_event_at
         FROM member_consent WHERE member_id = $1 ORDER BY purpose`,
      [memberId],
    );
    return result.rows;
  }

  const inboxRows = (consumer: string, event: EventEnvelope) =>
    countRows(hub.sql, 'inbox_event', 'consumer = $1 AND event_id = $2', [consumer, event.id]);
  /** Publishes in order and waits until each was handled. */
  async function publishAll(events: EventEnvelope[], consumer = MEMBER_CONSENTS_CONSUMER) {
    for (const event of events) await bus.publish(event);
    for (const event of events) {
      const handler = event.type === 'members.member.erased' ? MEMBER_ERASURE_CONSUMER : consumer;
      await waitFor(async () => (await inboxRows(handler, event)) === 1 || undefined, {
        message: `${event.type} ${event.id} handled`,
        timeoutMs: 10_000,
      });
    }
  }

  it('records a grant with its notice version, and a withdrawal after it', async () => {
    const consent = facts();
    const granted = consentGranted(consent, { grantedAt: '2026-12-05T01:02:03.456Z' });
    await publishAll([granted]);
    expect(await consentsOf(consent.memberId)).toEqual([
      {
        purpose: 'work-matching',
        notice_version: '2026-12',
        granted_at: new Date('2026-12-05T01:02:03.456Z'),
        withdrawn_at: null,
        source_event_at: new Date(granted.occurredAt),
      },
    ]);
    const withdrawn = shifted(consentWithdrawn(consent), -1_000);
    await publishAll([withdrawn]);
    expect(await consentsOf(consent.memberId)).toEqual([
      expect.objectContaining({
        notice_version: '2026-12',
        withdrawn_at: new Date(withdrawn.data.withdrawnAt),
        source_event_at: new Date(withdrawn.occurredAt),
      }),
    ]);
  });

  it('keeps each recipient and purpose apart', async () => {
    const consent = facts();
    await publishAll([
      consentGranted(consent),
      consentGranted(consent, { purpose: 'program-guidance' }),
      consentGranted({ ...consent, recipientOrganizationId: randomUUID() }),
      consentWithdrawn(consent, { purpose: 'program-guidance' }),
    ]);
    const rows = await hub.sql.query(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE withdrawn_at IS NULL)::int AS live FROM member_consent WHERE member_id = $1',
      [consent.memberId],
    );
    expect(rows.rows[0]).toEqual({ n: 3, live: 2 });
  });

  it('keeps a withdrawal that overtook its grant: the older grant does not reopen it', async () => {
    const consent = facts();
    const granted = consentGranted(consent);
    const withdrawn = shifted(consentWithdrawn(consent), -1_000);
    await publishAll([withdrawn, granted]);
    expect(await consentsOf(consent.memberId)).toEqual([
      expect.objectContaining({ withdrawn_at: expect.any(Date), notice_version: null }),
    ]);
  });

  it('lets a newer grant reopen a withdrawn consent, and a withdrawal win a tie', async () => {
    const consent = facts();
    const withdrawn = consentWithdrawn(consent);
    const regranted = shifted(consentGranted(consent), -1_000);
    await publishAll([withdrawn, regranted]);
    expect((await consentsOf(consent.memberId))[0]!.withdrawn_at).toBeNull();
    // The same millisecond as the grant: the withdrawal wins (fail closed).
    const tie = { ...consentWithdrawn(consent), occurredAt: regranted.occurredAt };
    await publishAll([tie]);
    expect((await consentsOf(consent.memberId))[0]!.withdrawn_at).not.toBeNull();
  });

  it('records a redelivered event once', async () => {
    const consent = facts();
    const granted = consentGranted(consent);
    await publishAll([granted]);
    const before = await consentsOf(consent.memberId);
    await bus.publish(granted);
    await publishAll([consentGranted(facts())]);
    expect(await consentsOf(consent.memberId)).toEqual(before);
  });

  it('deletes an erased member’s consents, and a late grant does not bring one back', async () => {
    const consent = facts();
    await publishAll([consentGranted(consent)]);
    await publishAll([memberErased(consent.memberId)]);
    expect(await consentsOf(consent.memberId)).toEqual([]);
    await publishAll([
      shifted(consentGranted(consent, { purpose: 'program-guidance' }), -5_000),
      consentWithdrawn(consent, { cause: 'erasure' }),
    ]);
    expect(await consentsOf(consent.memberId)).toEqual([]);
  });
});
