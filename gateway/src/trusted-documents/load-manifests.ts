import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Manifest, readManifest } from './manifest.js';

/** Every manifest the hub installed: for all callers, and per partner organisation or key. */
export type TrustedDocumentSets = {
  global: Manifest;
  /** By partner organisation id: every key of that organisation. */
  organizations: ReadonlyMap<string, Manifest>;
  /** By API key id: that key only. */
  keys: ReadonlyMap<string, Manifest>;
};

const UUID_JSON = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;
const PER_PARTNER_DIRECTORIES = ['organizations', 'keys'] as const;

/**
 * Loads `TRUSTED_DOCUMENTS`: a manifest file (for every caller), or a directory holding
 *
 * - `*.json` — manifests for every caller (the hub's own clients: `web.json`, `mobile.json`, …);
 * - `organizations/<organization id>.json` — also allowed to every key of that partner;
 * - `keys/<api key id>.json` — also allowed to that key alone.
 *
 * Anything else in the directory stops the start: a misspelt folder would otherwise leave a
 * partner's operations silently refused.
 */
export async function loadTrustedDocuments(path: string): Promise<TrustedDocumentSets> {
  if (!(await stat(path)).isDirectory()) {
    return { global: await readManifestFile(path), organizations: new Map(), keys: new Map() };
  }
  const global = new Map<string, string>();
  const perPartner = {
    organizations: new Map<string, Manifest>(),
    keys: new Map<string, Manifest>(),
  };
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const entryPath = join(path, entry.name);
    if (entry.isFile() && entry.name.endsWith('.json')) {
      for (const [hash, document] of await readManifestFile(entryPath)) global.set(hash, document);
    } else if (entry.isDirectory() && isPerPartnerDirectory(entry.name)) {
      const byId = perPartner[entry.name];
      for (const file of await readdir(entryPath)) {
        if (file.startsWith('.')) continue;
        const id = UUID_JSON.exec(file)?.[1];
        if (!id) {
          throw new Error(
            `${join(entryPath, file)}: expected <${entry.name === 'keys' ? 'api key id' : 'organization id'}>.json (a lowercase UUID)`,
          );
        }
        byId.set(id, await readManifestFile(join(entryPath, file)));
      }
    } else {
      throw new Error(
        `${entryPath}: a trusted-documents directory holds *.json, organizations/ and keys/ only`,
      );
    }
  }
  return { global, ...perPartner };
}

function isPerPartnerDirectory(name: string): name is (typeof PER_PARTNER_DIRECTORIES)[number] {
  return (PER_PARTNER_DIRECTORIES as readonly string[]).includes(name);
}

async function readManifestFile(path: string): Promise<Map<string, string>> {
  return readManifest(await readFile(path, 'utf8'), path);
}
