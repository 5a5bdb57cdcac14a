import { PUBLIC_FACILITIES_SUBGRAPH_PATH, todayInJapan } from '@hub/contracts';
import type { HttpRoute } from '@hub/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { listPublicFacilities } from './list-public-facilities.js';

/**
 * Spaces renders the open-data CSV from its own rows; the gateway serves it at a stable URL on
 * its host (caching headers, CORS, rate limit) and is the only caller.
 */
export function openDataRoutes(prisma: PrismaClient): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: PUBLIC_FACILITIES_SUBGRAPH_PATH,
      access: 'gateway',
      async handle({ query }) {
        const result = await listPublicFacilities(prisma, {
          code: query.get('code') ?? '',
          isForSpreadsheet: query.get('bom') === '1',
          today: todayInJapan(),
        });
        switch (result.kind) {
          case 'csv':
            return { status: 200, text: result.csv, contentType: 'text/csv; charset=utf-8' };
          case 'invalid-code':
            return {
              status: 400,
              body: { code: 'INVALID_MUNICIPALITY_CODE', message: result.message },
            };
          case 'not-found':
            return { status: 404, body: { code: 'NOT_FOUND', message: result.message } };
        }
      },
    },
  ];
}
