import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PUBLIC_FACILITIES_SUBGRAPH_PATH } from '@hub/contracts';
import {
  GATEWAY_CREDENTIAL_HEADER,
  type Logger,
  REQUEST_ID_HEADER,
  sendJson,
} from '@hub/service-kit';
import { type Agent, request } from 'undici';
import { z } from 'zod';
import { clientAddressOf } from '../identity/client-address.js';
import { RATE_LIMITED_MESSAGE, rateLimitHeaders } from '../rate-limit/rate-limit-response.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';

/** `/open-data/public-facilities/{code}.csv`: a 6-digit municipality or 2-digit prefecture code. */
const PUBLIC_PATH = /^\/open-data\/public-facilities\/([^/]+)\.csv$/;

/** Clients and CDNs may reuse a file for five minutes; after that they revalidate (ETag). */
const CACHE_CONTROL = 'public, max-age=300';

/**
 * Open data is for any page to fetch, so every answer allows every origin. That is safe where
 * the API's allow-list (http/cors.ts) is not: this route reads no credential and nothing in it
 * depends on who asks, and a `*` answer is never readable by a request sent with credentials.
 */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': [
    'content-disposition',
    'etag',
    'ratelimit-limit',
    'ratelimit-remaining',
    'ratelimit-reset',
    'retry-after',
    REQUEST_ID_HEADER,
  ].join(', '),
};

const UNAVAILABLE_MESSAGE =
  '公共施設一覧を一時的に取得できません。しばらくしてから再試行してください (the facility list is temporarily unavailable; try again later)';

/** What spaces answers a code it refuses: passed on as it is. */
const ZRefusal = z.object({ code: z.string(), message: z.string() });

export type PublicFacilitiesRouteOptions = {
  /** Any URL on the spaces server (its subgraph URL). */
  spacesUrl: string;
  gatewaySecret: string;
  dispatcher: Agent;
  timeoutMs: number;
  rateLimits: RateLimits;
  trustProxy: boolean;
  logger: Logger;
};

export type PublicFacilitiesRoute = {
  /** Whether the path is one of the route's files. */
  matches(pathname: string): boolean;
  serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
};

/**
 * 公共施設一覧 CSV (docs/open-data.md) at stable URLs on the gateway's host. Spaces renders the
 * file; the gateway adds what a static file host would: a strong ETag answered with 304, a
 * cache lifetime, a download file name, HEAD, CORS for any page, and the anonymous rate limit
 * per client address (credentials are not read: the file is the same for everyone).
 */
export function createPublicFacilitiesRoute(
  options: PublicFacilitiesRouteOptions,
): PublicFacilitiesRoute {
  const spacesEndpoint = new URL(PUBLIC_FACILITIES_SUBGRAPH_PATH, options.spacesUrl);

  const fetchFromSpaces = async (code: string, isForSpreadsheet: boolean, requestId: string) => {
    const target = new URL(spacesEndpoint);
    target.searchParams.set('code', code);
    if (isForSpreadsheet) target.searchParams.set('bom', '1');
    const answer = await request(target, {
      dispatcher: options.dispatcher,
      method: 'GET',
      headers: {
        [GATEWAY_CREDENTIAL_HEADER]: options.gatewaySecret,
        [REQUEST_ID_HEADER]: requestId,
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // As bytes: decoding as text would drop the spreadsheet variant's BOM.
    return { status: answer.statusCode, body: Buffer.from(await answer.body.arrayBuffer()) };
  };

  const serve = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const requestId = String(response.getHeader(REQUEST_ID_HEADER));
    for (const [key, value] of Object.entries(CORS_HEADERS)) response.setHeader(key, value);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-max-age': '600',
      });
      response.end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD, OPTIONS');
      return sendJson(response, 405, {
        code: 'BAD_REQUEST',
        message: 'GET または HEAD で取得してください (use GET or HEAD)',
      });
    }
    const decision = options.rateLimits.consume(
      { kind: 'anonymous', identity: null },
      clientAddressOf(request, { trustProxy: options.trustProxy }),
    );
    for (const [key, value] of Object.entries(rateLimitHeaders(decision))) {
      response.setHeader(key, value);
    }
    if (!decision.isAllowed) {
      response.setHeader('retry-after', String(decision.retryAfterSeconds));
      return sendJson(response, 429, { code: 'RATE_LIMITED', message: RATE_LIMITED_MESSAGE });
    }

    // Left percent-encoded: a code is digits, and spaces refuses anything else.
    const code = PUBLIC_PATH.exec(url.pathname)?.[1] ?? '';
    const bom = url.searchParams.get('bom');
    const isForSpreadsheet = bom === '1' || bom === 'true';
    let answer: { status: number; body: Buffer };
    try {
      answer = await fetchFromSpaces(code, isForSpreadsheet, requestId);
    } catch (error) {
      options.logger.warn({ err: error, requestId }, 'open data: spaces did not answer');
      return unavailable(response);
    }
    if (answer.status === 400 || answer.status === 404) {
      const refusal = ZRefusal.safeParse(parseJson(answer.body.toString('utf8')));
      if (refusal.success) return sendJson(response, answer.status, refusal.data);
    }
    if (answer.status !== 200) {
      options.logger.warn({ requestId, status: answer.status }, 'open data: spaces refused');
      return unavailable(response);
    }

    const etag = `"${createHash('sha256').update(answer.body).digest('base64url')}"`;
    response.setHeader('etag', etag);
    response.setHeader('cache-control', CACHE_CONTROL);
    if (isNoneMatched(request.headers['if-none-match'], etag)) {
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': answer.body.length,
      // Spaces accepted the code, so it is six or two digits: safe inside the quotes.
      'content-disposition': `attachment; filename="${code}_public_facility.csv"`,
    });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  };

  return { matches: (pathname) => PUBLIC_PATH.test(pathname), serve };
}

function unavailable(response: ServerResponse) {
  response.setHeader('retry-after', '1');
  sendJson(response, 503, { code: 'SERVICE_UNAVAILABLE', message: UNAVAILABLE_MESSAGE });
}

/** If-None-Match: `*` or a list of tags, weak ones compared weakly (RFC 9110 §13.1.2). */
function isNoneMatched(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
