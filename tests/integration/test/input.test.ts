import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from './support/accounts.js';
import { type HubStack, startHub } from './support/hub.js';

// What an outside review sent through the gateway: each of these used to come back as a masked
// internal error (PostgreSQL's uuid / UTF8 / index-size errors, Pothos' connection errors).
let hub: HubStack;

beforeAll(async () => {
  hub = await startHub({ services: ['spaces', 'members'] });
  await sql(
    hub,
    'spaces',
    "INSERT INTO municipality (code, name, prefecture) VALUES ('011002', '札幌市', '北海道')",
  );
}, 60_000);

afterAll(() => hub?.stop());

describe('bad input through the gateway is BAD_USER_INPUT naming the argument', () => {
  it.each([
    ['space(id: "x")', '{ space(id: "x") { id } }', undefined, 'id'],
    ['organization(id: "x")', '{ organization(id: "x") { id } }', undefined, 'id'],
    // (Selecting nodes too would meet the gateway's cost limit first, which multiplies by first.)
    ['spaces(first: 1000)', '{ spaces(first: 1000) { totalCount } }', undefined, 'first'],
    ['spaces(first: -1)', '{ spaces(first: -1) { edges { cursor } } }', undefined, 'first'],
    [
      'spaces(after: "garbage")',
      '{ spaces(after: "garbage") { edges { cursor } } }',
      undefined,
      'after',
    ],
    [
      'Municipality.spaces(first: 101)',
      '{ municipality(code: "011002") { spaces(first: 101) { totalCount } } }',
      undefined,
      'first',
    ],
    [
      'signIn with a NUL byte in the email',
      'mutation($e: String!) { signIn(input: { email: $e, password: "Yuki-no-hi-2024" }) { __typename } }',
      { e: 'sora\u0000@example.jp' },
      'input.email',
    ],
    [
      'signIn with a 7 KB email',
      'mutation($e: String!) { signIn(input: { email: $e, password: "Yuki-no-hi-2024" }) { __typename } }',
      // Random hex: incompressible, so it does not fit a btree index entry (~2.7 KB).
      { e: `${randomBytes(3500).toString('hex')}@example.jp` },
      'input.email',
    ],
  ])('%s', async (_label, query, variables, field) => {
    const response = await hub.query(query, variables);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });
});
