import { readFileSync } from 'node:fs';
import { requiredVariables } from '@hub/config';
import { envSchema as eventsEnv } from '@hub/events';
import { envSchema as gatewayEnv } from '@hub/gateway';
import { envSchema as matchingEnv } from '@hub/matching';
import { envSchema as membersEnv } from '@hub/members';
import { envSchema as spacesEnv } from '@hub/spaces';
import { envSchema as supportProgramsEnv } from '@hub/support-programs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

// No Docker engine runs on the development machines: this keeps docker-compose.yml honest
// against what each server's env.ts actually requires.
type ComposeService = {
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  build?: { args?: { PACKAGE?: string } };
};
const compose = parse(
  readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8'),
  {
    merge: true,
  },
) as { services: Record<string, ComposeService> };
const initSql = readFileSync(new URL('../../../docker/postgres/init.sql', import.meta.url), 'utf8');

const SERVERS = {
  spaces: spacesEnv,
  members: membersEnv,
  events: eventsEnv,
  matching: matchingEnv,
  'support-programs': supportProgramsEnv,
  gateway: gatewayEnv,
};

describe('docker-compose.yml', () => {
  it.each(Object.entries(SERVERS))(
    'gives %s every variable its env.ts requires, valid',
    (name, schema) => {
      const service = compose.services[name];
      expect(service).toBeDefined();
      const environment = Object.fromEntries(
        Object.entries(service!.environment ?? {}).map(([key, value]) => [
          key,
          // Compose substitutes ${VAR:-default}; check the default a developer would get.
          String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'),
        ]),
      );
      expect(Object.keys(environment)).toEqual(expect.arrayContaining(requiredVariables(schema)));
      expect(schema.safeParse(environment).success).toBe(true);
      expect(service!.healthcheck?.test.join(' ')).toContain('/_readiness');
    },
  );

  it('starts each service after healthy Postgres and NATS, each on its own database', () => {
    for (const name of ['spaces', 'members', 'events', 'matching', 'support-programs']) {
      const service = compose.services[name]!;
      expect(service.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        nats: { condition: 'service_healthy' },
      });
      const database = new URL(String(service.environment!.DATABASE_URL)).pathname.slice(1);
      expect(initSql).toContain(`CREATE DATABASE ${database};`);
      expect(service.build?.args?.PACKAGE).toBe(`services/${name}`);
    }
    expect(Object.keys(compose.services.gateway!.depends_on ?? {}).sort()).toEqual([
      'events',
      'matching',
      'members',
      'spaces',
      'support-programs',
    ]);
  });
});
