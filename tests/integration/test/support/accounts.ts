import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HubStack } from './hub.js';

export const PASSWORD = 'Kumo-no-ue-2026';

export type Auth = {
  email: string;
  accessToken: string;
  refreshToken: string;
  member: { id: string };
};

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The selection of signUp/signIn/refreshSession's payload: its session, or the typed error. */
const SESSION_OR_ERROR = (success: string) =>
  `__typename ... on ${success} { session { accessToken refreshToken member { id } } }
   ... on Error { code field messageEn }`;

type SessionPayload = { __typename: string; session?: Omit<Auth, 'email'>; code?: string };

/** The session a mutation answered with; a typed error or errors[] fails the test with it. */
function sessionOf(
  mutation: string,
  response: { data?: Record<string, SessionPayload> | null; errors?: unknown },
): Omit<Auth, 'email'> {
  const session = response.data?.[mutation]?.session;
  if (response.errors || !session) {
    throw new Error(`${mutation} failed: ${JSON.stringify(response.errors ?? response.data)}`);
  }
  return session;
}

/** A new member signed up through the gateway, as a client would. */
export async function signUp(
  hub: HubStack,
  displayName: string,
  extra: Record<string, unknown> = {},
): Promise<Auth> {
  const email = `${randomBytes(5).toString('hex')}@example.jp`;
  const response = await hub.query<{ signUp: SessionPayload }>(
    `mutation ($input: SignUpInput!) {
      signUp(input: $input) { ${SESSION_OR_ERROR('SignUpSuccess')} }
    }`,
    {
      input: {
        email,
        password: PASSWORD,
        displayName,
        kind: 'TELEWORKER',
        municipalityCode: '012157',
        ...extra,
      },
    },
  );
  return { email, ...sessionOf('signUp', response) };
}

/**
 * A hub administrator: the role is granted in the members database (an operator's act, there
 * is no API for it), then the member signs in again to get a token carrying it.
 */
export async function signUpHubAdmin(hub: HubStack): Promise<Auth> {
  const auth = await signUp(hub, '管理 一郎');
  await sql(hub, 'members', "UPDATE account SET roles = '{admin}' WHERE member_id = $1", [
    auth.member.id,
  ]);
  const response = await hub.query<{ signIn: SessionPayload }>(
    `mutation ($input: SignInInput!) {
      signIn(input: $input) { ${SESSION_OR_ERROR('SignInSuccess')} }
    }`,
    { input: { email: auth.email, password: PASSWORD } },
  );
  return { email: auth.email, ...sessionOf('signIn', response) };
}

/** The password of every demo member (services/members/seed/demo.json). */
const DEMO_PASSWORD = 'coworking-demo-2026';

/** The headers of a demo member (`name`@demo.coworking-hub.example) signed in through the gateway. */
export async function signInDemo(hub: HubStack, name: string): Promise<Record<string, string>> {
  const response = await hub.query<{ signIn: { session?: { accessToken: string } } }>(
    `mutation ($input: SignInInput!) { signIn(input: $input) {
      ... on SignInSuccess { session { accessToken } } ... on Error { code } } }`,
    { input: { email: `${name}@demo.coworking-hub.example`, password: DEMO_PASSWORD } },
  );
  const token = response.data?.signIn.session?.accessToken;
  if (!token) throw new Error(`sign-in of ${name} failed: ${JSON.stringify(response)}`);
  return bearer(token);
}

/** One statement on a service's database. */
export async function sql<T extends pg.QueryResultRow>(
  hub: HubStack,
  service: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: hub.services[service]!.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The headers of `member` with a fresh access token (its staffOf read anew). */
export async function refreshed(hub: HubStack, member: Auth): Promise<Record<string, string>> {
  const response = await hub.query<{ refreshSession: SessionPayload }>(
    `mutation ($input: RefreshSessionInput!) {
      refreshSession(input: $input) { ${SESSION_OR_ERROR('RefreshSessionSuccess')} }
    }`,
    { input: { refreshToken: member.refreshToken } },
  );
  const session = sessionOf('refreshSession', response);
  // Refresh tokens rotate: the next refresh needs the new one.
  member.refreshToken = session.refreshToken;
  member.accessToken = session.accessToken;
  return bearer(member.accessToken);
}

/** An organisation created by `member`, who is its ADMIN from the next access token on. */
export async function createOrganization(
  hub: HubStack,
  member: Auth,
  organization: Record<string, unknown>,
): Promise<string> {
  const response = await hub.query<{ createOrganization: { organization: { id: string } } }>(
    'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } ... on Error { __typename code message messageEn field } } }',
    { input: organization },
    bearer(member.accessToken),
  );
  if (response.errors || !response.data?.createOrganization.organization) {
    throw new Error(`createOrganization failed: ${JSON.stringify(response)}`);
  }
  return response.data!.createOrganization.organization.id;
}

/**
 * A new member who creates an organisation and refreshes their token to carry its ADMIN role:
 * what anyone signing up can do.
 */
export async function organisationAdmin(
  hub: HubStack,
  displayName: string,
  organization: Record<string, unknown>,
) {
  const member = await signUp(hub, displayName);
  const organizationId = await createOrganization(hub, member, organization);
  return { member, organizationId, headers: await refreshed(hub, member) };
}
