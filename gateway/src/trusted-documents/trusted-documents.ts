import type { Logger } from '@hub/service-kit';
import type { GraphQLSchema } from 'graphql';
import type { ErrorEntry } from '../http/error-response.js';
import type { Caller } from '../identity/caller.js';
import { invalidTrustedDocuments } from './check-against-schema.js';
import { loadTrustedDocuments, type TrustedDocumentSets } from './load-manifests.js';
import { type Manifest, sha256IdOf, sha256Of } from './manifest.js';
import { type GraphQLHttpRequest, readRequestDocument, withDocument } from './request-document.js';

/**
 * - `off`: every operation runs, as without a manifest (development, GraphiQL).
 * - `allow-listed-and-arbitrary`: manifest operations run by id, anything else still runs and
 *   is logged — the step before `strict`, to find what a client sends that its manifest lacks.
 * - `strict`: only the caller's manifest operations run.
 */
export const TRUSTED_DOCUMENTS_MODES = ['off', 'allow-listed-and-arbitrary', 'strict'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export type TrustedDocumentsOptions = {
  mode: TrustedDocumentsMode;
  /** A manifest file or a directory of them (load-manifests.ts); required unless `off`. */
  path?: string;
};

export type TrustedDocumentsDecision =
  | { kind: 'run'; body: unknown; search: URLSearchParams }
  | { kind: 'refuse'; status: 400 | 403; error: ErrorEntry; reason: string };

export type TrustedDocuments = {
  /** Decides, before Apollo sees a request, which document it runs — or that it runs none. */
  decide(request: GraphQLHttpRequest, caller: Caller, requestId: string): TrustedDocumentsDecision;
  /** Logs a warning for each installed document the (new) API schema refuses. */
  checkSchema(schema: GraphQLSchema): void;
};

export async function createTrustedDocuments(
  options: TrustedDocumentsOptions,
  logger: Logger,
): Promise<TrustedDocuments> {
  if (options.mode === 'off') {
    if (options.path) {
      logger.warn(
        { path: options.path },
        'TRUSTED_DOCUMENTS is set but TRUSTED_DOCUMENTS_MODE is off: the manifest is not used',
      );
    }
    return {
      decide: (request) => ({ kind: 'run', body: request.body, search: request.search }),
      checkSchema: () => {},
    };
  }
  if (!options.path) {
    throw new Error(
      `TRUSTED_DOCUMENTS_MODE=${options.mode} needs TRUSTED_DOCUMENTS (a manifest file or directory)`,
    );
  }
  const sets = await loadTrustedDocuments(options.path);
  logger.info(
    {
      mode: options.mode,
      path: options.path,
      documents: sets.global.size,
      organizations: sets.organizations.size,
      keys: sets.keys.size,
    },
    'trusted documents loaded',
  );
  const isStrict = options.mode === 'strict';

  const checkSchema = (schema: GraphQLSchema) => {
    for (const invalid of invalidTrustedDocuments(sets, schema)) {
      logger.warn(invalid, 'trusted document not valid against the API schema');
    }
  };
  const decide: TrustedDocuments['decide'] = (request, caller, requestId) => {
    const run = (document: string, dropPersistedQuery: boolean): TrustedDocumentsDecision => ({
      kind: 'run',
      ...withDocument(request, document, { dropPersistedQuery }),
    });
    const asSent: TrustedDocumentsDecision = {
      kind: 'run',
      body: request.body,
      search: request.search,
    };
    const fields = readRequestDocument(request);
    if (!fields) return asSent;
    const manifests = manifestsOf(sets, caller);
    const find = (hash: string) => findDocument(manifests, hash);
    const untrusted = (hash: string | null) => {
      logger.info(
        {
          requestId,
          caller: caller.kind,
          ...(caller.kind === 'partner' ? { keyId: caller.identity.keyId } : {}),
          operationName: fields.operationName,
          documentHash: hash,
        },
        'operation not in the trusted documents',
      );
      return asSent;
    };

    if (fields.documentId !== undefined) {
      if (fields.query !== undefined || fields.persistedQuery !== undefined) {
        return refusal(400, 'BAD_REQUEST', BOTH_MESSAGE, 'documentId with a query');
      }
      const hash = sha256IdOf(fields.documentId);
      if (!hash) return refusal(400, 'BAD_REQUEST', DOCUMENT_ID_MESSAGE, 'malformed documentId');
      const document = find(hash);
      if (document) return run(document, true);
      return isStrict
        ? refusal(403, 'PERSISTED_QUERY_NOT_ALLOWED', NOT_ALLOWED_MESSAGE, 'unknown document id')
        : refusal(400, 'PERSISTED_QUERY_NOT_FOUND', NOT_FOUND_MESSAGE, 'unknown document id');
    }

    const apqHash = wellFormedApqHash(fields.persistedQuery);
    if (typeof fields.query === 'string') {
      const hash = sha256Of(fields.query);
      // A hash that does not match the text: persisted-query-check.ts refuses it as a mismatch.
      if (apqHash && apqHash !== hash) return asSent;
      const document = find(hash);
      if (document) return run(document, apqHash !== null);
      return isStrict
        ? refusal(403, 'OPERATION_NOT_TRUSTED', NOT_TRUSTED_MESSAGE, 'operation not trusted')
        : untrusted(hash);
    }
    if (apqHash) {
      const document = find(apqHash);
      if (document) return run(document, true);
      // Not ours: Apollo's APQ cache may know it (registered earlier as an arbitrary operation).
      return isStrict
        ? refusal(403, 'PERSISTED_QUERY_NOT_ALLOWED', NOT_ALLOWED_MESSAGE, 'unknown hash')
        : untrusted(apqHash);
    }
    // No document at all, or a malformed persistedQuery: Apollo and persisted-query-check.ts
    // refuse those; nothing can run.
    return asSent;
  };
  return { decide, checkSchema };
}

/** The caller's manifests, most specific first: its key's, its organisation's, everyone's. */
function manifestsOf(sets: TrustedDocumentSets, caller: Caller): Manifest[] {
  if (caller.kind !== 'partner') return [sets.global];
  const { keyId, organizationId } = caller.identity;
  return [sets.keys.get(keyId), sets.organizations.get(organizationId), sets.global].filter(
    (manifest): manifest is Manifest => manifest !== undefined,
  );
}

function findDocument(manifests: Manifest[], hash: string): string | undefined {
  for (const manifest of manifests) {
    const document = manifest.get(hash);
    if (document !== undefined) return document;
  }
  return undefined;
}

/** The hash of `{ version: 1, sha256Hash }` (with or without `sha256:`), else null. */
function wellFormedApqHash(persistedQuery: unknown): string | null {
  if (typeof persistedQuery !== 'object' || persistedQuery === null) return null;
  const { version, sha256Hash } = persistedQuery as Record<string, unknown>;
  return version === 1 ? sha256IdOf(sha256Hash) : null;
}

function refusal(
  status: 400 | 403,
  code: string,
  message: string,
  reason: string,
): TrustedDocumentsDecision {
  return { kind: 'refuse', status, error: { message, extensions: { code } }, reason };
}

const NOT_TRUSTED_MESSAGE =
  'この操作は許可リストにありません。登録済みの文書を documentId で送ってください (this operation is not in the trusted documents: send a registered document by its documentId)';
const NOT_ALLOWED_MESSAGE =
  'この文書 ID はこの呼び出し元の許可リストにありません (this document id is not in the trusted documents for this caller)';
const NOT_FOUND_MESSAGE =
  'この文書 ID は登録されていません。query で文書を送ってください (unknown document id: send the document as query)';
const BOTH_MESSAGE =
  'documentId と query (または extensions.persistedQuery) は同時に指定できません (send documentId or a query, not both)';
const DOCUMENT_ID_MESSAGE =
  'documentId は "sha256:" と 64 桁の小文字 16 進数で指定してください (documentId must be "sha256:" and 64 lowercase hex digits)';
