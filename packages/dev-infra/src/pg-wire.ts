// Just enough of the PostgreSQL frontend/backend protocol (v3) for the embedded server:
// framing, the startup packet, name rewriting and error responses.

export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;
export const PROTOCOL_V3 = 196608;

/** Frontend message types that end a unit of work: the backend answers them with ReadyForQuery. */
export const UNIT_END_TYPES: ReadonlySet<number> = new Set(
  ['S', 'Q', 'F', 'c', 'f'].map((c) => c.charCodeAt(0)),
);
export const MSG = {
  parse: 0x50, // P
  bind: 0x42, // B
  describe: 0x44, // D
  close: 0x43, // C
  execute: 0x45, // E
  terminate: 0x58, // X
  readyForQuery: 0x5a, // Z
} as const;

export type UntypedPacket =
  | { kind: 'ssl' | 'gssenc' | 'cancel'; length: number }
  | { kind: 'startup'; length: number; params: Record<string, string> }
  | { kind: 'unknown'; length: number; code: number };

/** Reads the first packet a client sends (no type byte). Null until it is complete. */
export function readUntypedPacket(buffer: Buffer): UntypedPacket | null {
  if (buffer.length < 8) return null;
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > 10_000) return { kind: 'unknown', length: 8, code: -1 };
  if (buffer.length < length) return null;
  const code = buffer.readInt32BE(4);
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl', length };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc', length };
  if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel', length };
  if (code !== PROTOCOL_V3) return { kind: 'unknown', length, code };
  const params: Record<string, string> = {};
  const parts = buffer.subarray(8, length).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i];
    if (!key) break;
    params[key] = parts[i + 1] ?? '';
  }
  return { kind: 'startup', length, params };
}

/** Splits complete typed messages off the front of buffer; returns them and the rest. */
export function splitMessages(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 5) {
    const length = buffer.readInt32BE(offset + 1);
    if (length < 4) throw new Error(`invalid message length ${length}`);
    if (buffer.length - offset < 1 + length) break;
    messages.push(buffer.subarray(offset, offset + 1 + length));
    offset += 1 + length;
  }
  return { messages, rest: buffer.subarray(offset) };
}

export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Buffer {
  const fields = Buffer.concat([
    field('S', severity),
    field('V', severity),
    field('C', code),
    field('M', message),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

export function simpleQuery(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

export function syncMessage(): Buffer {
  return Buffer.from([0x53, 0, 0, 0, 4]);
}

export function copyFailMessage(reason: string): Buffer {
  const body = Buffer.from(`${reason}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('f', 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

export function closeStatementMessage(name: string): Buffer {
  const body = Buffer.from(`S${name}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('C', 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

/**
 * Every connection to one embedded database shares one backend session, so named prepared
 * statements and portals of different connections would collide. Prefix them per connection.
 * Returns the rewritten message and the statement name a Parse created or a Close removed.
 */
export function namespaceMessage(
  message: Buffer,
  prefix: string,
): { message: Buffer; parsed?: string; closed?: string } {
  const type = message[0];
  if (type === MSG.parse) {
    const [name, end] = cstring(message, 5);
    if (!name) return { message };
    return { message: rebuild(message, [[5, end, prefix + name]]), parsed: prefix + name };
  }
  if (type === MSG.bind) {
    const [portal, portalEnd] = cstring(message, 5);
    const [statement, statementEnd] = cstring(message, portalEnd);
    if (!portal && !statement) return { message };
    return {
      message: rebuild(message, [
        [5, portalEnd, portal ? prefix + portal : ''],
        [portalEnd, statementEnd, statement ? prefix + statement : ''],
      ]),
    };
  }
  if (type === MSG.describe || type === MSG.close) {
    const kind = String.fromCharCode(message[5] ?? 0);
    const [name, end] = cstring(message, 6);
    if (!name) return { message };
    const rewritten = rebuild(message, [[6, end, prefix + name]]);
    return type === MSG.close && kind === 'S'
      ? { message: rewritten, closed: prefix + name }
      : { message: rewritten };
  }
  if (type === MSG.execute) {
    const [portal, end] = cstring(message, 5);
    if (!portal) return { message };
    return { message: rebuild(message, [[5, end, prefix + portal]]) };
  }
  return { message };
}

// [start, end) of a NUL-terminated string including its NUL; returns the string and `end`.
function cstring(buffer: Buffer, start: number): [string, number] {
  const nul = buffer.indexOf(0, start);
  if (nul < 0) throw new Error('malformed message: missing string terminator');
  return [buffer.toString('utf8', start, nul), nul + 1];
}

function rebuild(message: Buffer, replacements: [number, number, string][]): Buffer {
  const parts: Buffer[] = [Buffer.alloc(5)];
  let cursor = 5;
  for (const [start, end, value] of replacements) {
    parts.push(message.subarray(cursor, start), Buffer.from(`${value}\0`, 'utf8'));
    cursor = end;
  }
  parts.push(message.subarray(cursor));
  const out = Buffer.concat(parts);
  out[0] = message[0] ?? 0;
  out.writeInt32BE(out.length - 1, 1);
  return out;
}

function field(code: string, value: string): Buffer {
  return Buffer.from(`${code}${value}\0`, 'utf8');
}

/**
 * Follows the backend's output stream message by message (chunks may split messages) and
 * remembers whether the last complete message was ReadyForQuery, and its status:
 * I = idle, T = in a transaction block, E = in a failed transaction block.
 */
export class ReadyTracker {
  private readonly header = Buffer.alloc(5);
  private headerLength = 0;
  private remaining = 0;
  private type = 0;
  private lastType = 0;
  status: 'I' | 'T' | 'E' = 'I';

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining === 0) {
        this.header[this.headerLength++] = chunk[i++] ?? 0;
        if (this.headerLength === 5) {
          this.type = this.header[0] ?? 0;
          this.remaining = this.header.readInt32BE(1) - 4;
          this.headerLength = 0;
          this.lastType = this.type;
        }
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (this.type === MSG.readyForQuery) {
        const status = String.fromCharCode(chunk[i] ?? 0);
        if (status === 'I' || status === 'T' || status === 'E') this.status = status;
      }
      i += take;
      this.remaining -= take;
    }
  }

  /** The backend has answered everything so far and waits for a new command. */
  get isReady(): boolean {
    return this.remaining === 0 && this.headerLength === 0 && this.lastType === MSG.readyForQuery;
  }

  /** Ready and outside any transaction block: another connection may use the session. */
  get isIdle(): boolean {
    return this.isReady && this.status === 'I';
  }
}
