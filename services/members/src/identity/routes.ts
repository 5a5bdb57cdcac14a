import { JWKS_PATH, VERIFY_API_KEY_PATH } from '@hub/identity';
import type { HttpRoute } from '@hub/service-kit';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { verifyApiKey } from './api-key-verification.js';
import { publicJwks } from './signing-keys.js';

const ZVerifyRequest = z.object({ key: z.string().min(1).max(200) });

export function identityRoutes(prisma: PrismaClient): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: JWKS_PATH,
      access: 'public',
      async handle() {
        return {
          status: 200,
          body: await publicJwks(prisma),
          // Verifiers refetch on an unknown kid anyway; this only bounds routine refreshes.
          headers: { 'cache-control': 'public, max-age=300' },
        };
      },
    },
    {
      method: 'POST',
      path: VERIFY_API_KEY_PATH,
      access: 'gateway',
      async handle({ body }) {
        const parsed = ZVerifyRequest.safeParse(body);
        if (!parsed.success) return { status: 400, body: { code: 'BAD_REQUEST' } };
        const result = await verifyApiKey(prisma, parsed.data.key);
        return result.ok
          ? { status: 200, body: result.key }
          : { status: 401, body: { code: result.code } };
      },
    },
  ];
}
