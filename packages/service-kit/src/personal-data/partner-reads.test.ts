import { randomUUID } from 'node:crypto';
import type { PartnerIdentity } from '@hub/identity';
import { describe, expect, it } from '@jest/globals';
import { createBaseContext, type HubContext } from '../context.js';
import { createLogger } from '../logger.js';
import { type PartnerRead, partnerReadAudit } from './partner-reads.js';

const logger = createLogger({ name: 'partner-reads-test', level: 'silent' });
const partner: PartnerIdentity = {
  kind: 'partner',
  keyId: randomUUID(),
  organizationId: randomUUID(),
  scopes: ['members:personal:read'],
  purpose: 'work-matching',
};
const requestOf = (identity: HubContext['identity'] = partner) =>
  createBaseContext({ requestId: randomUUID(), identity, clientAddress: null }, logger);

/** A recorder whose writes are kept (and can be made to fail). */
function recorder() {
  const writes: PartnerRead[][] = [];
  let failure: Error | null = null;
  const audit = partnerReadAudit<HubContext>(async (_context, _partner, reads) => {
    if (failure) throw failure;
    writes.push(reads);
  });
  const fail = (error: Error | null) => {
    failure = error;
  };
  return { audit, writes, fail };
}

describe('partnerReadAudit', () => {
  it('writes the reads of one turn together: one entry per member, fields sorted', async () => {
    const { audit, writes } = recorder();
    const context = requestOf();
    const [a, b] = [randomUUID(), randomUUID()];
    await Promise.all([
      audit.record(context, a, ['Worker.skills']),
      audit.record(context, b, ['Worker.displayName']),
      audit.record(context, a, ['Worker.displayName']),
    ]);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toEqual([
      {
        entryId: expect.any(String),
        memberId: a,
        fields: ['Worker.displayName', 'Worker.skills'],
        isNew: true,
      },
      { entryId: expect.any(String), memberId: b, fields: ['Worker.displayName'], isNew: true },
    ]);
    expect(writes[0]![0]!.entryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('extends the member’s entry when a later turn reads more of them, and writes nothing for repeats', async () => {
    const { audit, writes } = recorder();
    const context = requestOf();
    const memberId = randomUUID();
    await audit.record(context, memberId, ['b']);
    await audit.record(context, memberId, ['b']);
    await audit.record(context, memberId, ['a']);
    expect(writes).toEqual([
      [{ entryId: expect.any(String), memberId, fields: ['b'], isNew: true }],
      [{ entryId: writes[0]![0]!.entryId, memberId, fields: ['a', 'b'], isNew: false }],
    ]);
  });

  it('keeps requests apart', async () => {
    const { audit, writes } = recorder();
    const memberId = randomUUID();
    await Promise.all([
      audit.record(requestOf(), memberId, ['a']),
      audit.record(requestOf(), memberId, ['a']),
    ]);
    expect(writes.flat().map((read) => read.isNew)).toEqual([true, true]);
    expect(new Set(writes.flat().map((read) => read.entryId)).size).toBe(2);
  });

  it('runs a request’s writes one after the other, so a member’s entry is created once', async () => {
    const writes: PartnerRead[][] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const audit = partnerReadAudit<HubContext>(async (_context, _partner, reads) => {
      writes.push(reads);
      if (writes.length === 1) await slow;
    });
    const context = requestOf();
    const memberId = randomUUID();
    const first = audit.record(context, memberId, ['a']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The first write is still running: this read must wait for it and then extend its entry.
    const second = audit.record(context, memberId, ['b']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writes).toHaveLength(1);
    release();
    await Promise.all([first, second]);
    expect(writes[1]).toEqual([
      { entryId: writes[0]![0]!.entryId, memberId, fields: ['a', 'b'], isNew: false },
    ]);
  });

  it('fails the reads whose write failed (fail closed), and still writes later ones', async () => {
    const { audit, writes, fail } = recorder();
    const context = requestOf();
    const memberId = randomUUID();
    fail(new Error('database down'));
    await expect(audit.record(context, memberId, ['a'])).rejects.toThrow('database down');
    fail(null);
    await audit.record(context, memberId, ['a']);
    // Nothing was written the first time, so the entry is still new.
    expect(writes).toEqual([
      [{ entryId: expect.any(String), memberId, fields: ['a'], isNew: true }],
    ]);
  });

  it('writes nothing for callers that are not partner keys', async () => {
    const { audit, writes } = recorder();
    await audit.record(requestOf(null), randomUUID(), ['a']);
    expect(writes).toEqual([]);
  });
});
