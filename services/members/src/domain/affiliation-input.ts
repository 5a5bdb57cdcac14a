import { z } from 'zod';

export const AFFILIATION_ROLE_VALUES = [
  'WORKER',
  'STAFF',
  'COORDINATOR',
  'LEADER',
  'EXPERT',
  'ADMIN',
  'CONTACT',
] as const;

export const ZAffiliationRole = z.enum(AFFILIATION_ROLE_VALUES);
