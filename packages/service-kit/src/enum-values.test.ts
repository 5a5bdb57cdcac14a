import { SPACE_KINDS } from '@hub/contracts';
import { describe, expect, it } from '@jest/globals';
import { graphqlEnumValues } from './enum-values.js';

describe('graphqlEnumValues', () => {
  it('keys each value of a vocabulary as Prisma does, described by its label, in order', () => {
    expect(graphqlEnumValues(SPACE_KINDS)).toEqual({
      COWORKING: { description: 'コワーキングスペース (coworking space)' },
      TELEWORK_CENTRE: { description: 'テレワークセンター (telework centre)' },
      SATELLITE_OFFICE: { description: 'サテライトオフィス (satellite office)' },
      INCUBATOR: { description: 'インキュベーション施設 (incubator)' },
    });
    expect(Object.keys(graphqlEnumValues(SPACE_KINDS))).toEqual(
      SPACE_KINDS.values.map(SPACE_KINDS.keyOf),
    );
  });
});
