import { parseEnv, ZServiceEnv } from '@hub/config';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DATABASE_TIMEOUTS } from './database.js';
import { databaseTimeoutsOf } from './main.js';

describe('databaseTimeoutsOf', () => {
  it("reads the environment's DATABASE_*_MS, whose defaults are the kit's", () => {
    const env = parseEnv(ZServiceEnv, {
      PORT: '4001',
      DATABASE_URL: 'postgres://127.0.0.1:5432/spaces',
      NATS_URL: 'nats://127.0.0.1:4222',
      HUB_GATEWAY_SECRET: 'a-secret-of-16-chars',
    });
    expect(databaseTimeoutsOf(env)).toEqual(DEFAULT_DATABASE_TIMEOUTS);
    expect(
      databaseTimeoutsOf({ ...env, DATABASE_LOCK_TIMEOUT_MS: 0, DATABASE_POOL_TIMEOUT_MS: 700 }),
    ).toMatchObject({ lockTimeoutMs: 0, poolTimeoutMs: 700 });
  });
});
