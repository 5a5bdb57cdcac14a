import { defineServiceConfig } from '@hub/prisma-config';

export default defineServiceConfig();
