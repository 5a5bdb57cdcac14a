export {
  type BusConstructors,
  type BusFactory,
  type ClosableBus,
  type TestBusesOptions,
  testBuses,
} from './buses.js';
export { type DataExportContractOptions, describeDataExportField } from './data-export-contract.js';
export {
  adminDatabaseUrl,
  createTestDatabase,
  migrationScripts,
  type TestDatabase,
  testPool,
  withDatabase,
} from './database.js';
export {
  type AsGatewayOptions,
  asAdmin,
  asMember,
  asPartner,
  type GraphQLResponse,
  sendAsGateway,
  sendGraphQL,
  TEST_GATEWAY_SECRET,
} from './graphql.js';
export { handledBy, inboxRows, shiftedEvent } from './inbox.js';
export {
  describeMemberErasureConsumer,
  type MemberErasureContractOptions,
} from './member-erasure-contract.js';
export { deleteNamespaceStreams, randomNamespace, TEST_NATS_URL } from './nats.js';
export { pgDatabase } from './pg-database.js';
export { seededRandom } from './random.js';
export {
  type GatewayStarter,
  type ServiceDefinition,
  type ServiceStartOptions,
  type Stack,
  type StartedService,
  startStack,
} from './stack.js';
export { startTestService, type TestService } from './test-service.js';
export { waitFor } from './wait.js';
