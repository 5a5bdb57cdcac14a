import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header the gateway adds to every subgraph call; subgraphs refuse GraphQL without it. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-hub-gateway-credential';
/** Correlates one client request across the gateway's and the subgraphs' logs and answers. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Liveness: answers 200 while the process serves HTTP (the gateway and every subgraph). */
export const HEALTH_PATH = '/_health';
/** Readiness: 200 only while the server's dependencies answer. */
export const READINESS_PATH = '/_readiness';

/** The largest request body a server reads (the gateway and the subgraphs alike). */
export const MAX_BODY_BYTES = 1024 * 1024;

// Any caller reaches the servers' routes: accept a request id only if it is a plain token (it
// ends up in logs and headers).
const USABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token of at most 128 characters, else a new UUID. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && USABLE_REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * A body the server will not read: `status` 413 (over MAX_BODY_BYTES, code REQUEST_TOO_LARGE)
 * or 400 (malformed JSON, code BAD_REQUEST). After a 413 the rest of the body is unread, so the
 * connection cannot carry another request: answer with `connection: close`.
 */
export class RequestBodyError extends Error {
  readonly code: 'REQUEST_TOO_LARGE' | 'BAD_REQUEST';
  constructor(readonly status: 400 | 413) {
    super(
      status === 413
        ? `リクエストが大きすぎます (上限 ${MAX_BODY_BYTES / 1024 / 1024} MiB) (request body over the limit of ${MAX_BODY_BYTES / 1024 / 1024} MiB)`
        : 'JSON を解析できません (malformed JSON body)',
    );
    this.name = 'RequestBodyError';
    this.code = status === 413 ? 'REQUEST_TOO_LARGE' : 'BAD_REQUEST';
  }
}

/**
 * The request body: parsed when the content type says JSON, else the raw text (Apollo's CSRF
 * check and content-type rules judge it), `undefined` when empty. Throws RequestBodyError.
 */
export async function readRequestBody(request: IncomingMessage): Promise<unknown> {
  // A declared length over the limit is refused before a byte of the body is read.
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    throw new RequestBodyError(413);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestBodyError(413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!(request.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestBodyError(400);
  }
}

/** A JSON answer that no cache keeps (probes, errors, internal routes). */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}

/** The liveness answer every server gives at HEALTH_PATH. */
export function sendHealth(response: ServerResponse): void {
  sendJson(response, 200, { status: 'ok' });
}
