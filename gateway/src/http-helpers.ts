import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, type StaticAsset } from './graphiql-site.js';

export function acceptsHtml(request: IncomingMessage): boolean {
  return request.headers.accept?.includes('text/html') ?? false;
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
