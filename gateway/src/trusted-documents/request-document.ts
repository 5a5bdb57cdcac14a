/** What a GraphQL request names to run, from a POST body or GET search parameters. */
export type RequestDocument = {
  /** `query`, when the client sent one (any JSON type: Apollo refuses what is not a string). */
  query: unknown;
  /** `documentId` (GraphQL over HTTP persisted documents), when sent. */
  documentId: unknown;
  /** `extensions.persistedQuery` (Apollo's APQ), when sent. */
  persistedQuery: unknown;
  operationName: string | null;
};

export type GraphQLHttpRequest = {
  method: string;
  /** The parsed POST body (anything for GET). */
  body: unknown;
  search: URLSearchParams;
};

/** The request's document fields; null when the request has no shape to read them from. */
export function readRequestDocument(request: GraphQLHttpRequest): RequestDocument | null {
  if (request.method === 'GET') {
    const { search } = request;
    const extensions = parseJsonObject(search.get('extensions'));
    return {
      query: search.get('query') ?? undefined,
      documentId: search.get('documentId') ?? undefined,
      persistedQuery: extensions?.persistedQuery,
      operationName: search.get('operationName'),
    };
  }
  if (!isRecord(request.body)) return null;
  const { body } = request;
  return {
    query: body.query,
    documentId: body.documentId,
    persistedQuery: isRecord(body.extensions) ? body.extensions.persistedQuery : undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : null,
  };
}

/**
 * The same request asking for `document` by its text: what Apollo Server runs. Its document
 * store is keyed by the text's sha256 — the manifest's key — so a trusted document is parsed
 * and validated once per process, not per request. `documentId` goes, and so does a well-formed
 * `persistedQuery` (Apollo would hash the text again to check it, and register it in the APQ
 * cache); a malformed one stays for persisted-query-check.ts to refuse.
 */
export function withDocument(
  request: GraphQLHttpRequest,
  document: string,
  options: { dropPersistedQuery: boolean },
): { body: unknown; search: URLSearchParams } {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    search.set('query', document);
    search.delete('documentId');
    const extensions = parseJsonObject(search.get('extensions'));
    if (extensions && options.dropPersistedQuery) {
      const { persistedQuery: _dropped, ...rest } = extensions;
      if (Object.keys(rest).length > 0) search.set('extensions', JSON.stringify(rest));
      else search.delete('extensions');
    }
    return { body: request.body, search };
  }
  const { documentId: _documentId, ...body } = request.body as Record<string, unknown>;
  if (isRecord(body.extensions) && options.dropPersistedQuery) {
    const { persistedQuery: _dropped, ...rest } = body.extensions;
    if (Object.keys(rest).length > 0) body.extensions = rest;
    else delete body.extensions;
  }
  return { body: { ...body, query: document }, search: request.search };
}

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
