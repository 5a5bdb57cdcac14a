import { pino } from 'pino';

// The shared test helpers, under the names these tests use.
export {
  deleteNamespaceStreams,
  randomNamespace,
  TEST_NATS_URL as natsUrl,
} from '@hub/testing';

export const silentLogger = pino({ level: 'silent' });
