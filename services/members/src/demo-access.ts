import { readFileSync } from 'node:fs';

/** What the run command prints so a developer can sign in and try a partner key at once. */
export type DemoAccess = {
  password: string;
  accounts: { email: string; displayName: string; roles: string[] }[];
  apiKeys: { name: string; key: string; scopes: string[]; purpose: string | null }[];
};

type DemoSeed = {
  demoPassword: string;
  members: { displayName: string; account?: { email: string; roles: string[] } }[];
  apiKeys: { name: string; key: string; scopes: string[]; purpose?: string | null }[];
};

/** The demo accounts and partner keys in seed/demo.json (public demo values, never real ones). */
export function demoAccess(): DemoAccess {
  const seed = JSON.parse(
    readFileSync(new URL('../seed/demo.json', import.meta.url), 'utf8'),
  ) as DemoSeed;
  return {
    password: seed.demoPassword,
    accounts: seed.members.flatMap((member) =>
      member.account
        ? [
            {
              email: member.account.email,
              displayName: member.displayName,
              roles: member.account.roles,
            },
          ]
        : [],
    ),
    apiKeys: seed.apiKeys.map((key) => ({
      name: key.name,
      key: key.key,
      scopes: key.scopes,
      purpose: key.purpose ?? null,
    })),
  };
}
