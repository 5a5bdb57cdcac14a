import { jestConfig } from '../../jest.base.js';

// The test DDL and Prisma client are derived from prisma/messaging.prisma before any test runs.
export default jestConfig({ globalSetup: '<rootDir>/scripts/generate-test-prisma.mjs' });
