import { randomUUID } from 'node:crypto';
import type { EventData } from '@hub/contracts';
import { createEvent, type EventEnvelope } from '@hub/event-bus';
import { asAdmin, asMember, asPartner, waitFor } from '@hub/testing';
import { describe, expect, it } from '@jest/globals';
import { consentTo, newMember, newPartner, useMembers } from '../../test/support/index.js';
import { PARTNER_READ_AUDIT_CONSUMER } from './partner-read-audit.js';

// A partner read in another service lands in the member's audit log here, once per entry the
// reading service made (one per partner key, member and request), whatever redeliveries or
// order the events arrive in.

const hub = useMembers();

type ReadData = EventData<'matching.partner-read.recorded'>;

function partnerRead(overrides: Partial<ReadData> & { memberId: string }) {
  const data: ReadData = {
    auditEntryId: randomUUID(),
    apiKeyId: randomUUID(),
    organizationId: randomUUID(),
    fields: ['Worker.displayName'],
    requestId: randomUUID(),
    readAt: new Date().toISOString(),
    ...overrides,
  };
  return createEvent('matching.partner-read.recorded', {
    subject: data.auditEntryId,
    data,
  });
}

async function publishAndWait(...events: EventEnvelope[]) {
  for (const event of events) await hub.bus.publish(event);
  await waitFor(
    async () => {
      const rows = await hub.rows<{ n: string }>(
        'SELECT count(*) AS n FROM inbox_event WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
        [PARTNER_READ_AUDIT_CONSUMER, events.map((event) => event.id)],
      );
      return rows[0]!.n === String(new Set(events.map((event) => event.id)).size);
    },
    { message: 'the partner reads recorded' },
  );
}

const AUDIT = `query ($id: ID!) { member(id: $id) {
  auditLog { totalCount nodes { action service apiKeyId organizationId fields requestId at } } } }`;

describe('partner reads in other services (matching.partner-read.recorded)', () => {
  it('appear in the member’s audit log, for the member and hub admins', async () => {
    const memberId = await newMember(hub.prisma);
    const read = partnerRead({
      memberId,
      fields: ['Worker.skills', 'Worker.displayName'],
      readAt: '2026-12-05T01:02:03.456Z',
    });
    await publishAndWait(read);
    const expected = {
      action: 'PARTNER_READ',
      service: 'matching',
      apiKeyId: read.data.apiKeyId,
      organizationId: read.data.organizationId,
      fields: ['Worker.displayName', 'Worker.skills'],
      requestId: read.data.requestId,
      at: '2026-12-05T01:02:03.456Z',
    };
    const own = await hub.gql<{ member: { auditLog: { totalCount: number; nodes: unknown[] } } }>(
      AUDIT,
      { id: memberId },
      asMember(memberId),
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.member.auditLog).toEqual({ totalCount: 1, nodes: [expected] });
    const admin = await hub.gql<{ auditLog: { nodes: unknown[] } }>(
      `query ($id: ID!) { auditLog(memberId: $id) { nodes { action service fields } } }`,
      { id: memberId },
      asAdmin(),
    );
    expect(admin.data!.auditLog.nodes).toEqual([
      { action: 'PARTNER_READ', service: 'matching', fields: expected.fields },
    ]);
  });

  it('records an entry once, however often its event is delivered', async () => {
    const memberId = await newMember(hub.prisma);
    const read = partnerRead({ memberId });
    await publishAndWait(read);
    // The same event again (a redelivery after a lost ack).
    await hub.bus.publish(read);
    await publishAndWait(partnerRead({ memberId: await newMember(hub.prisma) }));
    const entries = await hub.rows('SELECT id FROM audit_log_entry WHERE member_id = $1', [
      memberId,
    ]);
    expect(entries).toEqual([{ id: read.data.auditEntryId }]);
  });

  it('merges the events of one entry into it, in whatever order they arrive', async () => {
    const memberId = await newMember(hub.prisma);
    const first = partnerRead({ memberId, fields: ['Worker.displayName'] });
    // A nested selection in the same request read more of the member: the same entry.
    const later = partnerRead({
      ...first.data,
      fields: ['Worker.displayName', 'Worker.skills'],
    });
    await publishAndWait(later, first);
    const entries = await hub.rows<{ fields: string[]; service: string; action: string }>(
      'SELECT action::text, fields, service FROM audit_log_entry WHERE member_id = $1',
      [memberId],
    );
    expect(entries).toEqual([
      {
        action: 'partner-read',
        fields: ['Worker.displayName', 'Worker.skills'],
        service: 'matching',
      },
    ]);
  });

  it('tells them from partner reads in members itself', async () => {
    const memberId = await newMember(hub.prisma, { contactPhone: '0126-00-0002' });
    const partnerId = await newPartner(hub.prisma);
    await consentTo(hub.prisma, memberId, partnerId, 'work-matching');
    const partner = asPartner({
      organizationId: partnerId,
      scopes: ['members:personal:read'],
      purpose: 'work-matching',
    });
    const response = await hub.gql(
      'query ($id: ID!) { member(id: $id) { contactPhone } }',
      { id: memberId },
      partner,
    );
    expect(response.errors).toBeUndefined();
    await publishAndWait(
      partnerRead({ memberId, apiKeyId: partner.keyId, organizationId: partnerId }),
    );
    const entries = await hub.rows<{ service: string; fields: string[] }>(
      "SELECT service, fields FROM audit_log_entry WHERE member_id = $1 AND action = 'partner-read' ORDER BY service",
      [memberId],
    );
    expect(entries).toEqual([
      { service: 'matching', fields: ['Worker.displayName'] },
      { service: 'members', fields: ['contactPhone'] },
    ]);
  });
});
