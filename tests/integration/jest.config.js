import { jestConfig } from '../../jest.base.js';

// Hooks without their own timeout (e.g. `afterAll(() => hub.stop())`: drains the gateway, drops
// five databases, deletes NATS streams) get jest's 5 s default, which a 2-core machine shared
// by several test runs exceeds now and then: the suite then fails after all its tests passed.
export default jestConfig({ testTimeout: 30_000 });
