import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { EnvError, isLoopbackHost, parseEnv, requiredVariables, ZServiceEnv } from './index.js';

const valid = {
  PORT: '4101',
  DATABASE_URL: 'postgres://127.0.0.1:5432/spaces',
  NATS_URL: 'nats://127.0.0.1:4222',
  HUB_GATEWAY_SECRET: 'a-secret-of-16-chars',
};

describe('parseEnv', () => {
  it('parses and applies defaults', () => {
    const env = parseEnv(ZServiceEnv, valid);
    expect(env.PORT).toBe(4101);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('names every bad or missing variable', () => {
    const run = () => parseEnv(ZServiceEnv, { ...valid, PORT: 'abc', DATABASE_URL: undefined });
    expect(run).toThrow(EnvError);
    try {
      run();
    } catch (error) {
      const variables = (error as EnvError).issues.map((i) => i.variable);
      expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL']));
      expect((error as Error).message).toContain('DATABASE_URL');
    }
  });

  it('rejects a short gateway secret', () => {
    expect(() => parseEnv(ZServiceEnv, { ...valid, HUB_GATEWAY_SECRET: 'short' })).toThrow(
      /HUB_GATEWAY_SECRET/,
    );
  });
});

describe('requiredVariables', () => {
  it('lists only variables without defaults', () => {
    expect(requiredVariables(ZServiceEnv).sort()).toEqual(
      ['DATABASE_URL', 'HUB_GATEWAY_SECRET', 'NATS_URL', 'PORT'].sort(),
    );
    expect(requiredVariables(z.object({ A: z.string().optional(), B: z.string() }))).toEqual(['B']);
  });
});

describe('HUB_NATS_NAMESPACE', () => {
  it('is optional, and limited to what NATS subject and stream names allow', () => {
    expect(parseEnv(ZServiceEnv, valid).HUB_NATS_NAMESPACE).toBeUndefined();
    expect(
      parseEnv(ZServiceEnv, { ...valid, HUB_NATS_NAMESPACE: 'staging-2' }).HUB_NATS_NAMESPACE,
    ).toBe('staging-2');
    for (const bad of ['', 'a.b', 'a b', 'hub.>', '*']) {
      expect(() => parseEnv(ZServiceEnv, { ...valid, HUB_NATS_NAMESPACE: bad })).toThrow(
        /HUB_NATS_NAMESPACE/,
      );
    }
  });
});

describe('HUB_DEBUG', () => {
  it('is off unless asked for', () => {
    expect(parseEnv(ZServiceEnv, valid).HUB_DEBUG).toBe(false);
    expect(parseEnv(ZServiceEnv, { ...valid, NODE_ENV: 'development' }).HUB_DEBUG).toBe(false);
    expect(parseEnv(ZServiceEnv, { ...valid, HUB_DEBUG: '1' }).HUB_DEBUG).toBe(true);
    expect(() => parseEnv(ZServiceEnv, { ...valid, HUB_DEBUG: 'yes' })).toThrow(/HUB_DEBUG/);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '::1', 'localhost', 'LOCALHOST'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'gateway', '127.0.0.1.example.com', ''])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('database limits', () => {
  it('default to the service kit values, accept 0 for the server-side ones, refuse nonsense', () => {
    expect(parseEnv(ZServiceEnv, valid)).toMatchObject({
      DATABASE_POOL_TIMEOUT_MS: 2_000,
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
      DATABASE_LOCK_TIMEOUT_MS: 5_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 15_000,
      DATABASE_TRANSACTION_TIMEOUT_MS: 5_000,
    });
    expect(
      parseEnv(ZServiceEnv, { ...valid, DATABASE_STATEMENT_TIMEOUT_MS: '0' })
        .DATABASE_STATEMENT_TIMEOUT_MS,
    ).toBe(0);
    expect(() => parseEnv(ZServiceEnv, { ...valid, DATABASE_POOL_TIMEOUT_MS: '0' })).toThrow(
      /DATABASE_POOL_TIMEOUT_MS/,
    );
    expect(() => parseEnv(ZServiceEnv, { ...valid, DATABASE_LOCK_TIMEOUT_MS: 'soon' })).toThrow(
      /DATABASE_LOCK_TIMEOUT_MS/,
    );
  });
});
