import { randomUUID } from 'node:crypto';
import type { Identity } from '@hub/identity';
import { describe, expect, it } from '@jest/globals';
import { asAdmin, asMember, asPartner, sendAsGateway } from './graphql.js';

export type DataExportContractOptions = {
  /** The field the service adds to DataExport, e.g. 'supportPrograms'. */
  field: string;
  /** The service as the test titles name it, e.g. 'support-programs'. */
  serviceName: string;
  /** The running service's URL: a function, as the service starts in the caller's beforeAll. */
  url: () => string;
  /** What the field holds about a member; asymmetric matchers (expect.stringMatching) work. */
  expected: unknown;
};

/**
 * The contract of a service's DataExport field (a member's data export, APPI disclosure): the
 * member themself and hub admins get what the service holds; another member, staff of an
 * organisation and partner keys are refused, anonymous callers told to sign in, and none of
 * them sees the field. Registers a describe block; call it at the top level of a test file.
 */
export function describeDataExportField(options: DataExportContractOptions): void {
  const { field, expected } = options;
  describe(`DataExport.${field} (a member’s data export)`, () => {
    const EXPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on DataExport { memberId ${field} } } }`;
    const memberId = randomUUID();
    const exportAs = (identity: Identity | null) =>
      sendAsGateway<{ _entities: (Record<string, unknown> | null)[] }>(
        options.url(),
        EXPORT,
        { r: [{ __typename: 'DataExport', memberId }] },
        { identity },
      );

    it.each<[string, Identity]>([
      ['the member themself', asMember(memberId)],
      ['a hub admin', asAdmin()],
    ])(`gives %s what ${options.serviceName} holds about the member`, async (_who, identity) => {
      const response = await exportAs(identity);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toEqual([{ memberId, [field]: expected }]);
    });

    it.each<[string, string, Identity | null]>([
      ['another member', 'FORBIDDEN', asMember(randomUUID())],
      [
        'staff of an organisation',
        'FORBIDDEN',
        asMember(randomUUID(), { staffOf: [{ organizationId: randomUUID(), role: 'admin' }] }),
      ],
      ['a partner key', 'FORBIDDEN', asPartner({ scopes: ['members:personal:read'] })],
      ['an anonymous caller', 'UNAUTHENTICATED', null],
    ])('refuses %s with %s', async (_who, code, identity) => {
      const response = await exportAs(identity);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data?._entities[0]?.[field] ?? null).toBeNull();
    });
  });
}
