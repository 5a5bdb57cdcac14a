import { createHash } from 'node:crypto';
import { parse } from 'graphql';

/** Documents a caller may run, by the sha256 (lowercase hex) of their exact text. */
export type Manifest = ReadonlyMap<string, string>;

const SHA256_HEX = /^[0-9a-f]{64}$/;
// GraphQL over HTTP, Appendix A (persisted documents): `sha256:<hex>`, as GraphQL Code
// Generator's client preset writes it; bare hex is what Apollo's persisted-query link sends.
const SHA256_PREFIX = 'sha256:';

/** The hex digest a document id or APQ hash names, or null when it is not a sha256 id. */
export function sha256IdOf(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const hex = id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id;
  return SHA256_HEX.test(hex) ? hex : null;
}

export function sha256Of(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/**
 * Reads one manifest: a JSON object `{ "<sha256 id>": "<document>" }`, the
 * `persisted-documents.json` that GraphQL Code Generator's client preset writes with
 * `persistedDocuments: true`. Every key must be the sha256 of its document's exact text (the
 * preset's default algorithm), so a hand-edited or truncated entry fails at start-up instead of
 * serving something the client did not build; every document must parse. `source` names the
 * file in the error.
 */
export function readManifest(json: string, source: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source}: expected an object { "<sha256 hash>": "<document>" }`);
  }
  const manifest = new Map<string, string>();
  for (const [id, document] of Object.entries(parsed)) {
    const hash = sha256IdOf(id);
    if (!hash) {
      throw new Error(
        `${source}: "${id}" is not a sha256 document id (64 hex digits, optionally "sha256:"-prefixed; codegen's hashAlgorithm must be sha256)`,
      );
    }
    if (typeof document !== 'string' || document.trim() === '') {
      throw new Error(`${source}: the document of "${id}" is not a non-empty string`);
    }
    if (sha256Of(document) !== hash) {
      throw new Error(`${source}: "${id}" is not the sha256 of its document`);
    }
    try {
      parse(document, { noLocation: true });
    } catch (error) {
      throw new Error(
        `${source}: the document of "${id}" does not parse: ${(error as Error).message}`,
      );
    }
    manifest.set(hash, document);
  }
  return manifest;
}
