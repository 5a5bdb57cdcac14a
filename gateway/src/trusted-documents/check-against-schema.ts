import { type GraphQLSchema, parse, validate } from 'graphql';
import type { TrustedDocumentSets } from './load-manifests.js';

export type InvalidTrustedDocument = {
  /** `global`, `organizations/<id>` or `keys/<id>`: where the hub installed it. */
  manifest: string;
  hash: string;
  errors: string[];
};

/**
 * The installed documents the schema refuses — typically a manifest generated against an older
 * public schema. They stay installed (requesting one answers the usual validation error), but
 * the operator hears of them when the gateway starts, not from the partner.
 */
export function invalidTrustedDocuments(
  sets: TrustedDocumentSets,
  schema: GraphQLSchema,
): InvalidTrustedDocument[] {
  const manifests = [
    ['global', sets.global] as const,
    ...[...sets.organizations].map(([id, manifest]) => [`organizations/${id}`, manifest] as const),
    ...[...sets.keys].map(([id, manifest]) => [`keys/${id}`, manifest] as const),
  ];
  const invalid: InvalidTrustedDocument[] = [];
  for (const [manifest, documents] of manifests) {
    for (const [hash, document] of documents) {
      const errors = validate(schema, parse(document, { noLocation: true }));
      if (errors.length > 0) {
        invalid.push({ manifest, hash, errors: errors.map((error) => error.message) });
      }
    }
  }
  return invalid;
}
