import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { loadTrustedDocuments } from './load-manifests.js';
import { createTrustedDocuments } from './trusted-documents.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const A = '{ spaces { totalCount } }';
const B = 'query B { me { id } }';
const C = 'query C($id: ID!) { space(id: $id) { name } }';
const entry = (document: string) => ({ [`sha256:${sha256(document)}`]: document });

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hub-trusted-documents-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function write(path: string, content: unknown) {
  await writeFile(
    join(directory, path),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
}

describe('loadTrustedDocuments', () => {
  test('a single file is the manifest for every caller', async () => {
    await write('persisted-documents.json', { ...entry(A), [sha256(B)]: B });

    const sets = await loadTrustedDocuments(join(directory, 'persisted-documents.json'));

    expect([...sets.global]).toEqual([
      [sha256(A), A],
      [sha256(B), B],
    ]);
    expect(sets.organizations.size + sets.keys.size).toBe(0);
  });

  test('a directory: *.json for everyone, organizations/<id>.json and keys/<id>.json per partner', async () => {
    const organizationId = randomUUID();
    const keyId = randomUUID();
    await mkdir(join(directory, 'organizations'));
    await mkdir(join(directory, 'keys'));
    await write('web.json', entry(A));
    await write('mobile.json', entry(B));
    await write('.DS_Store', 'ignored');
    await write(`organizations/${organizationId}.json`, entry(C));
    await write(`keys/${keyId}.json`, entry(B));

    const sets = await loadTrustedDocuments(directory);

    expect(new Set(sets.global.keys())).toEqual(new Set([sha256(A), sha256(B)]));
    expect([...sets.organizations.keys()]).toEqual([organizationId]);
    expect(sets.organizations.get(organizationId)?.get(sha256(C))).toBe(C);
    expect(sets.keys.get(keyId)?.get(sha256(B))).toBe(B);
  });

  test.each([
    ['not JSON', '{ "a": ', /manifest\.json: not JSON/],
    ['an array', '[]', /expected an object/],
    [
      'a key that is not its document’s sha256',
      { [sha256(A)]: B },
      /is not the sha256 of its document/,
    ],
    [
      'a sha1 key (codegen’s hashAlgorithm)',
      { [createHash('sha1').update(A).digest('hex')]: A },
      /is not a sha256 document id/,
    ],
    ['a document that does not parse', { [sha256('{ spaces {')]: '{ spaces {' }, /does not parse/],
    ['a document that is no string', { [sha256(A)]: 42 }, /is not a non-empty string/],
  ])('a manifest with %s stops the start, naming the file', async (_name, content, message) => {
    await write('manifest.json', content);

    await expect(loadTrustedDocuments(join(directory, 'manifest.json'))).rejects.toThrow(message);
  });

  test.each([
    ['a misspelt folder', 'organisations/', /holds \*\.json, organizations\/ and keys\/ only/],
    ['a key file not named by a key id', 'keys/bibai.json', /expected <api key id>\.json/],
    ['a stray file', 'README.md', /holds \*\.json, organizations\/ and keys\/ only/],
  ])('a directory with %s stops the start', async (_name, path, message) => {
    if (path.endsWith('/')) await mkdir(join(directory, path));
    else {
      await mkdir(join(directory, 'keys'), { recursive: true });
      await write(path, entry(A));
    }

    await expect(loadTrustedDocuments(directory)).rejects.toThrow(message);
  });

  test('a missing path stops the start', async () => {
    await expect(loadTrustedDocuments(join(directory, 'nowhere.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('createTrustedDocuments', () => {
  const logger = pino({ level: 'silent' });

  test.each(['strict', 'allow-listed-and-arbitrary'] as const)(
    '%s without a manifest path refuses to start',
    async (mode) => {
      await expect(createTrustedDocuments({ mode }, logger)).rejects.toThrow(
        `TRUSTED_DOCUMENTS_MODE=${mode} needs TRUSTED_DOCUMENTS`,
      );
    },
  );
});
