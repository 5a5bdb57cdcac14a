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

/** A subgraph call as the gateway makes it (with the gateway credential). */
export function sendAsGateway<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  secret = TEST_GATEWAY_SECRET,
): Promise<GraphQLResponse<T>> {
  return sendGraphQL<T>(url, query, { variables, headers: { 'x-hub-gateway-credential': secret } });
}
