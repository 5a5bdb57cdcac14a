import { connectPrisma, type DatabaseOptions } from '@hub/service-kit';
import { PrismaClient } from './generated/prisma/client.js';

/** This service's database: its generated Prisma client over the kit's counting pool. */
export function connectDatabase(options: DatabaseOptions) {
  return connectPrisma(PrismaClient, options);
}

export type Database = ReturnType<typeof connectDatabase>;
