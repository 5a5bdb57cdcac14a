import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, type StaticAsset } from './graphiql-site.js';

const MAX_BODY_BYTES = 1024 * 1024;

export function acceptsHtml(request: IncomingMessage): boolean {
  return request.headers.accept?.includes('text/html') ?? false;
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** The request body: parsed when JSON, else the raw text (Apollo's CSRF check judges it). */
export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new BodyError(413, 'リクエストが大きすぎます (request body too large)');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!(request.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'JSON を解析できません (malformed JSON body)');
  }
}

export function sendAsset(
  request: IncomingMessage,
  response: ServerResponse,
  asset: StaticAsset,
): void {
  response.setHeader('content-type', asset.contentType);
  response.setHeader('cache-control', asset.cacheControl);
  response.setHeader('etag', asset.etag);
  response.setHeader('vary', 'accept-encoding');
  if (asset.contentType.startsWith('text/html')) {
    response.setHeader('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
    response.setHeader('referrer-policy', 'no-referrer');
  }
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304).end();
    return;
  }
  const isGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = isGzip ? asset.gzipped : asset.body;
  if (isGzip) response.setHeader('content-encoding', 'gzip');
  response.setHeader('content-length', body.length);
  response.statusCode = 200;
  response.end(request.method === 'HEAD' ? undefined : body);
}

export type ErrorEntry = {
  message: string;
  extensions: { code: string } & Record<string, unknown>;
};

/**
 * A GraphQL-shaped error answer the gateway gives itself, outside Apollo (refusals before the
 * operation runs, its own 500s): one place to change their media type.
 */
export function sendErrors(response: ServerResponse, status: number, errors: ErrorEntry[]): void {
  sendJson(response, status, { errors });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}
