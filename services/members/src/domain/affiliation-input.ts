import { AFFILIATION_ROLES, enumKeys } from '@hub/contracts';
import { z } from 'zod';

/** An affiliation role as Prisma and GraphQL spell it (`COORDINATOR`). */
export const ZAffiliationRole = z.enum(enumKeys(AFFILIATION_ROLES));
