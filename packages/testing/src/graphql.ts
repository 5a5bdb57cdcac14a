import { randomUUID } from 'node:crypto';
import {
  IDENTITY_HEADER,
  type Identity,
  type MemberIdentity,
  type PartnerIdentity,
  signForwardedIdentity,
} from '@hub/identity';
import { request } from 'undici';

export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789';

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Record<string, string | string[] | undefined>;
};

/** Sends one GraphQL operation over real HTTP (JSON POST, as Apollo clients do). */
export async function sendGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await response.body.text();
  let body: { data?: T | null; errors?: GraphQLResponse['errors'] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.statusCode, headers: response.headers, ...body };
}

export type AsGatewayOptions = {
  /** The caller the gateway verified; omitted or null = anonymous. */
  identity?: Identity | null;
  clientAddress?: string | null;
  secret?: string;
};

/** A subgraph call as the gateway makes it (credential, signed identity). */
export async function sendAsGateway<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: AsGatewayOptions = {},
): Promise<GraphQLResponse<T>> {
  const secret = options.secret ?? TEST_GATEWAY_SECRET;
  const headers: Record<string, string> = { 'x-hub-gateway-credential': secret };
  if (options.identity || options.clientAddress) {
    headers[IDENTITY_HEADER] = await signForwardedIdentity(
      { identity: options.identity ?? null, clientAddress: options.clientAddress ?? null },
      secret,
    );
  }
  return sendGraphQL<T>(url, query, { variables, headers });
}

/** A signed-in member as the gateway would forward it. */
export function asMember(
  memberId: string,
  options: Partial<Pick<MemberIdentity, 'roles' | 'staffOf' | 'sessionId'>> = {},
): MemberIdentity {
  return {
    kind: 'member',
    memberId,
    sessionId: options.sessionId ?? randomUUID(),
    roles: options.roles ?? [],
    staffOf: options.staffOf ?? [],
  };
}

/** A hub administrator (a member with the admin role). */
export function asAdmin(memberId: string = randomUUID()): MemberIdentity {
  return asMember(memberId, { roles: ['admin'] });
}

/** A partner API key as the gateway would forward it. */
export function asPartner(options: Partial<Omit<PartnerIdentity, 'kind'>> = {}): PartnerIdentity {
  return {
    kind: 'partner',
    keyId: options.keyId ?? randomUUID(),
    organizationId: options.organizationId ?? randomUUID(),
    scopes: options.scopes ?? ['public:read'],
    purpose: options.purpose ?? null,
  };
}
