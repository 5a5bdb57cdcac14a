import { createHash } from 'node:crypto';

export type RequestRefusal = { code: string; message: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks an automatic persisted query (APQ) before Apollo Server sees it. Apollo answers a
 * hash that does not match the query, or a protocol version it does not know, with an error
 * that has no code — which can only be shown as an internal error — so the gateway answers
 * those itself, with codes a client can act on. Anything else is left to Apollo (a request
 * without APQ, a hash to look up, a first registration with the right hash).
 *
 * `body` is the parsed POST body; for GET, the `extensions` search parameter is read.
 */
export function checkPersistedQuery(request: {
  method: string;
  body: unknown;
  search: URLSearchParams;
}): RequestRefusal | null {
  const fields = request.method === 'GET' ? fromSearch(request.search) : fromBody(request.body);
  if (!fields) return null;
  const persisted = fields.extensions?.persistedQuery;
  if (persisted === undefined) return null;
  if (!isRecord(persisted) || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string') {
    return {
      code: 'BAD_REQUEST',
      message:
        'extensions.persistedQuery は { version: 1, sha256Hash } で指定してください (persistedQuery must be { version: 1, sha256Hash })',
    };
  }
  if (!SHA256_HEX.test(persisted.sha256Hash)) {
    return {
      code: 'BAD_REQUEST',
      message:
        'sha256Hash は 64 桁の小文字 16 進数で指定してください (sha256Hash must be 64 lowercase hex digits)',
    };
  }
  if (typeof fields.query !== 'string') return null;
  const actual = createHash('sha256').update(fields.query).digest('hex');
  if (actual === persisted.sha256Hash) return null;
  return {
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
    message:
      'クエリが sha256Hash と一致しません (the query does not match persistedQuery.sha256Hash)',
  };
}

type ApqFields = { query?: unknown; extensions?: Record<string, unknown> };

function fromBody(body: unknown): ApqFields | null {
  // Shapes Apollo refuses on its own (no object, `extensions` not an object) are left to it.
  if (!isRecord(body) || !isRecord(body.extensions)) return null;
  return { query: body.query, extensions: body.extensions };
}

function fromSearch(search: URLSearchParams): ApqFields | null {
  const extensions = search.get('extensions');
  if (extensions === null) return null;
  try {
    const parsed: unknown = JSON.parse(extensions);
    return isRecord(parsed)
      ? { query: search.get('query') ?? undefined, extensions: parsed }
      : null;
  } catch {
    // Apollo answers invalid JSON with its own BAD_REQUEST.
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
