import { describe, expect, it } from '@jest/globals';
import { namespaceMessage, ReadyTracker, readUntypedPacket, splitMessages } from './pg-wire.js';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const cstr = (value: string) => Buffer.from(`${value}\0`);

describe('pg-wire', () => {
  it('reads a startup packet and its parameters', () => {
    const body = Buffer.concat([
      cstr('user'),
      cstr('postgres'),
      cstr('database'),
      cstr('spaces'),
      cstr(''),
    ]);
    const packet = Buffer.alloc(8 + body.length);
    packet.writeInt32BE(packet.length, 0);
    packet.writeInt32BE(196608, 4);
    body.copy(packet, 8);
    expect(readUntypedPacket(packet.subarray(0, 10))).toBeNull();
    expect(readUntypedPacket(packet)).toEqual({
      kind: 'startup',
      length: packet.length,
      params: { user: 'postgres', database: 'spaces' },
    });
  });

  it('splits complete messages and keeps the incomplete rest', () => {
    const sync = message('S', Buffer.alloc(0));
    const query = message('Q', cstr('SELECT 1'));
    const { messages, rest } = splitMessages(Buffer.concat([sync, query.subarray(0, 7)]));
    expect(messages).toEqual([sync]);
    expect(rest).toEqual(query.subarray(0, 7));
  });

  it('prefixes named statements and portals, leaves unnamed ones alone', () => {
    const parse = message(
      'P',
      Buffer.concat([cstr('get'), cstr('SELECT $1'), Buffer.from([0, 0])]),
    );
    const rewritten = namespaceMessage(parse, 'c7_');
    expect(rewritten.parsed).toBe('c7_get');
    expect(rewritten.message.toString('latin1')).toContain('c7_get\0SELECT $1\0');
    expect(rewritten.message.readInt32BE(1)).toBe(rewritten.message.length - 1);

    const unnamed = message('P', Buffer.concat([cstr(''), cstr('SELECT 1'), Buffer.from([0, 0])]));
    expect(namespaceMessage(unnamed, 'c7_').message).toBe(unnamed);

    const bind = message(
      'B',
      Buffer.concat([cstr(''), cstr('get'), Buffer.from([0, 0, 0, 0, 0, 0])]),
    );
    expect(namespaceMessage(bind, 'c7_').message.toString('latin1')).toContain('\0c7_get\0');

    const close = message('C', Buffer.concat([Buffer.from('S'), cstr('get')]));
    expect(namespaceMessage(close, 'c7_').closed).toBe('c7_get');
  });

  it('tracks ReadyForQuery and the transaction status across split chunks', () => {
    const tracker = new ReadyTracker();
    const output = Buffer.concat([
      message('1', Buffer.alloc(0)),
      message('C', cstr('BEGIN')),
      message('Z', Buffer.from('T')),
    ]);
    tracker.feed(output.subarray(0, 3));
    expect(tracker.isReady).toBe(false);
    tracker.feed(output.subarray(3, output.length - 1));
    expect(tracker.isReady).toBe(false);
    tracker.feed(output.subarray(output.length - 1));
    expect(tracker.isReady).toBe(true);
    expect(tracker.status).toBe('T');
    expect(tracker.isIdle).toBe(false);
    tracker.feed(Buffer.concat([message('C', cstr('COMMIT')), message('Z', Buffer.from('I'))]));
    expect(tracker.isIdle).toBe(true);
  });
});
