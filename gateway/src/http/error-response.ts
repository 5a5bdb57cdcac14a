import type { ServerResponse } from 'node:http';
import type { GraphQLMediaType } from './media-type.js';

export type ErrorEntry = {
  message: string;
  extensions: { code: string } & Record<string, unknown>;
};

/**
 * Every error answer the gateway writes itself, outside Apollo (refusals before the operation
 * runs, unknown paths, its own 500s): a GraphQL response `{ errors: [...] }` in the request's
 * negotiated media type, so clients read `extensions.code` instead of a bare HTTP failure.
 */
export function sendGraphQLErrors(
  response: ServerResponse,
  status: number,
  errors: ErrorEntry[],
  mediaType: GraphQLMediaType,
): void {
  response.statusCode = status;
  response.setHeader('content-type', `${mediaType}; charset=utf-8`);
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify({ errors }));
}
