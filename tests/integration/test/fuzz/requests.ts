import type { GraphQLField, GraphQLSchema } from 'graphql';
import type { Pools } from './arguments.js';
import {
  brokenOperation,
  type DocumentContext,
  type Operation,
  rootFieldOperation,
} from './documents.js';
import { type Rng, rngFor } from './random.js';

/** The callers the fuzz can act as (tokens and key from the demo data, see fuzz.test.ts). */
export type Credentials = { memberToken: string; adminToken: string; partnerKey: string };

export type Caller = 'anonymous' | 'member' | 'admin' | 'partner' | 'bad credential';

/** One HTTP request to the gateway, as it goes on the wire. */
export type FuzzRequest = {
  index: number;
  /** What was generated: transport, operation and caller (for grouping and the summary). */
  label: string;
  caller: Caller;
  method: string;
  /** Path and query string, relative to the gateway's origin. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The root field the operation calls, when it calls one. */
  rootField?: string;
};

export type GeneratorContext = {
  schema: GraphQLSchema;
  roots: { field: GraphQLField<unknown, unknown>; isMutation: boolean }[];
  pools: Pools;
  credentials: Credentials;
};

/**
 * Request `index` of the run with `seed`: about half are operations on the API's root fields
 * (every field gets its share), the rest broken documents, HTTP-level abuse and bad credentials.
 */
export function generateRequest(
  context: GeneratorContext,
  seed: number,
  index: number,
): FuzzRequest {
  const rng = rngFor(seed, index);
  const documents: DocumentContext = { schema: context.schema, rng, pools: context.pools };
  const category = rng.weighted<'schema' | 'broken' | 'http' | 'credentials'>([
    [55, 'schema'],
    [22, 'broken'],
    [13, 'http'],
    [10, 'credentials'],
  ]);
  switch (category) {
    case 'schema': {
      const root = rng.pick(context.roots);
      const operation = rootFieldOperation(documents, root.field, root.isMutation);
      return asHttp(rng, index, operation, pickCaller(rng), context.credentials);
    }
    case 'broken':
      return asHttp(rng, index, brokenOperation(documents), pickCaller(rng), context.credentials);
    case 'http':
      return httpAbuse(rng, index, context.credentials);
    case 'credentials':
      return badCredentials(rng, index, documents, context);
  }
}

function pickCaller(rng: Rng): Exclude<Caller, 'bad credential'> {
  return rng.weighted([
    [30, 'anonymous'],
    [25, 'member'],
    [25, 'admin'],
    [20, 'partner'],
  ] as const);
}

function credentialHeaders(caller: Caller, credentials: Credentials): Record<string, string> {
  switch (caller) {
    case 'member':
      return { authorization: `Bearer ${credentials.memberToken}` };
    case 'admin':
      return { authorization: `Bearer ${credentials.adminToken}` };
    case 'partner':
      return { 'x-api-key': credentials.partnerKey };
    default:
      return {};
  }
}

/** The JSON body of an operation; variables are JSON text already (see arguments.ts). */
export function graphqlBody(operation: Omit<Operation, 'label'>): string {
  let body = `{"query":${JSON.stringify(operation.query)}`;
  if (operation.variables !== undefined) body += `,"variables":${operation.variables}`;
  if (operation.operationName !== undefined) {
    body += `,"operationName":${JSON.stringify(operation.operationName)}`;
  }
  return `${body}}`;
}

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate (which encodeURIComponent
 * refuses) becomes its WTF-8 bytes: the gateway must cope with invalid UTF-8 in a URL too.
 */
function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

function getPath(operation: Omit<Operation, 'label'>): string {
  const params = [`query=${percentEncode(operation.query)}`];
  if (operation.variables !== undefined)
    params.push(`variables=${percentEncode(operation.variables)}`);
  if (operation.operationName !== undefined) {
    params.push(`operationName=${percentEncode(operation.operationName)}`);
  }
  return `/graphql?${params.join('&')}`;
}

/** An operation sent as clients do: POST JSON mostly, GET (with the CSRF header) now and then. */
function asHttp(
  rng: Rng,
  index: number,
  operation: Operation,
  caller: Caller,
  credentials: Credentials,
  extraHeaders: Record<string, string> = {},
): FuzzRequest {
  const headers = { ...credentialHeaders(caller, credentials), ...extraHeaders };
  const base = {
    index,
    caller,
    ...(operation.rootField ? { rootField: operation.rootField } : {}),
  };
  if (rng.chance(0.1)) {
    // GET needs a header a browser cannot send cross-site (Apollo's CSRF prevention), and
    // refuses mutations; both refusals must be clean.
    if (rng.chance(0.85)) headers['apollo-require-preflight'] = 'true';
    return {
      ...base,
      label: `GET ${operation.label} as ${caller}`,
      method: 'GET',
      path: getPath(operation),
      headers,
    };
  }
  return {
    ...base,
    label: `POST ${operation.label} as ${caller}`,
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    body: graphqlBody(operation),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP-level abuse

const SIMPLE = '{ spaces(first: 1) { nodes { id name } } }';
const SIMPLE_BODY = graphqlBody({ query: SIMPLE });

const CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/graphql',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/graphql-response+json',
  'text/json',
  'application/xml',
  ';;;',
];

const BAD_BODIES: (string | Buffer)[] = [
  '{',
  'null',
  '[]',
  '[[]]',
  '"a string"',
  '123',
  'true',
  '{}',
  '{"query":123}',
  '{"query":null}',
  '{"query":{"a":1}}',
  '{"query":["{ __typename }"]}',
  '{"query":""}',
  '{"variables":{}}',
  '{"query":"{ __typename }","variables":"{}"}',
  '{"query":"{ __typename }","variables":"{\\"a\\":1}"}',
  '{"query":"{ __typename }","variables":7}',
  '{"query":"{ __typename }","extensions":"x"}',
  '{"query":"{ __typename }","extensions":{"a":{"b":1}}}',
  '{"query":"{ __typename }","operationName":5}',
  '{"query":"{ __typename }","operationName":{}}',
  '\ufeff{"query":"{ __typename }"}',
  '{"query":"{ __typename }"} trailing',
  '{"query":"{ nope }","query":"{ __typename }"}',
  '{"__proto__":{"query":"{ __typename }"}}',
  '{"constructor":{"prototype":{"query":"x"}}}',
  '{"query":"{ __typename }\u0000"}',
  `{"query":${JSON.stringify(SIMPLE)},"variables":{"__proto__":{"isAdmin":true}}}`,
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x22, 0x00]),
  Buffer.concat([
    Buffer.from('{"query":"{ spaces(filter: { text: \\"'),
    Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]),
    Buffer.from('\\" }) { id } }"}'),
  ]),
  Buffer.from(SIMPLE_BODY, 'utf16le'),
];

const APQ_EXTENSIONS = [
  '{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}',
  '{"persistedQuery":{"version":1,"sha256Hash":"not-a-hash"}}',
  '{"persistedQuery":{"version":1,"sha256Hash":123}}',
  '{"persistedQuery":{"version":1,"sha256Hash":null}}',
  `{"persistedQuery":{"version":1,"sha256Hash":"${'f'.repeat(10_000)}"}}`,
  '{"persistedQuery":{"version":2,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}',
  '{"persistedQuery":{"version":"1","sha256Hash":"00"}}',
  '{"persistedQuery":{"sha256Hash":"\\u0000"}}',
  '{"persistedQuery":"x"}',
  '{"persistedQuery":[]}',
  '{"persistedQuery":null}',
];

type Abuse = (rng: Rng) => Omit<FuzzRequest, 'index' | 'caller'>;

const ABUSES = {
  wrongMethod: (rng) => {
    const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND']);
    const hasBody = method !== 'HEAD' && rng.chance(0.8);
    return {
      label: `${method} with ${hasBody ? 'a body' : 'no body'}`,
      method,
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      ...(hasBody ? { body: SIMPLE_BODY } : {}),
    };
  },
  getMutation: (rng) => ({
    label: 'GET with a mutation',
    method: 'GET',
    path: getPath({
      query: rng.pick([
        'mutation { signOutEverywhere { __typename } }',
        'mutation M { signIn(input: { email: "a@b.jp", password: "x" }) { __typename } }',
        'query Q { __typename } mutation M { signOutEverywhere { __typename } }',
      ]),
      ...(rng.chance(0.5) ? { operationName: 'M' } : {}),
    }),
    headers: { 'apollo-require-preflight': 'true' },
  }),
  getOddities: (rng) => ({
    label: 'GET with odd parameters',
    method: 'GET',
    path: rng.pick([
      '/graphql',
      '/graphql?',
      '/graphql?query=',
      `/graphql?query=${percentEncode(SIMPLE)}&query=${percentEncode('{ __typename }')}`,
      `/graphql?query=${percentEncode(SIMPLE)}&variables=not-json`,
      `/graphql?query=${percentEncode(SIMPLE)}&variables=%5B1%5D`,
      `/graphql?query=${percentEncode(SIMPLE)}&extensions=%7B`,
      `/graphql?query=${percentEncode(SIMPLE)}&operationName=%00`,
      '/graphql?query=%E0%A4%A',
      '/graphql?query=%ED%A0%80',
      `/graphql?query=${percentEncode(`{ spaces(filter: { text: "${'x'.repeat(20_000)}" }) { nodes { id } } }`)}`,
      '/graphql/../graphql?query=%7B__typename%7D',
      '/graphql;x?query=%7B__typename%7D',
    ]),
    headers: rng.chance(0.5)
      ? ({ 'apollo-require-preflight': 'true' } as Record<string, string>)
      : { accept: rng.pick(['text/html', 'application/json', '*/*']) },
  }),
  contentType: (rng) => {
    const contentType = rng.pick(CONTENT_TYPES);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (rng.chance(0.5)) headers['apollo-require-preflight'] = 'true';
    return {
      label: `POST as ${contentType}`,
      method: 'POST',
      path: '/graphql',
      headers,
      body: rng.chance(0.8) ? SIMPLE_BODY : SIMPLE,
    };
  },
  noContentType: () => ({
    label: 'POST without content-type',
    method: 'POST',
    path: '/graphql',
    headers: {},
    body: SIMPLE_BODY,
  }),
  badBody: (rng) => ({
    label: 'POST with a malformed JSON body',
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: rng.chance(0.1) ? '' : rng.pick(BAD_BODIES),
  }),
  batch: (rng) => {
    const count = rng.pick([0, 1, 2, 3, 1000]);
    const items = Array.from({ length: count }, () => SIMPLE_BODY);
    return {
      label: `a batch of ${count}`,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: rng.chance(0.9) ? `[${items.join(',')}]` : `[${items.join(',')},[1],null]`,
    };
  },
  oversized: (rng) => {
    const size = rng.pick([1024 * 1024 + 1, 1.5 * 1024 * 1024, 5 * 1024 * 1024]);
    const filler = 'x'.repeat(size);
    return {
      label: 'a body over 1 MB',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: rng.chance(0.5)
        ? `{"query":${JSON.stringify(SIMPLE)},"variables":{"x":"${filler}"}}`
        : `{"query":"# ${filler}\\n{ __typename }"}`,
    };
  },
  persistedQuery: (rng) => {
    const withQuery = rng.chance(0.5);
    return {
      label: `APQ ${withQuery ? 'with' : 'without'} a query`,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: `{${withQuery ? `"query":${JSON.stringify(SIMPLE)},` : ''}"extensions":${rng.pick(APQ_EXTENSIONS)}}`,
    };
  },
  persistedQueryGet: (rng) => ({
    label: 'APQ over GET',
    method: 'GET',
    path: `/graphql?extensions=${percentEncode(rng.pick(APQ_EXTENSIONS))}`,
    headers: { 'apollo-require-preflight': 'true' },
  }),
  oddHeaders: (rng) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...rng.pick<Record<string, string>>([
        { 'x-request-id': 'a'.repeat(5000) },
        { 'x-request-id': 'id with spaces\tand ÿ' },
        // A client cannot pass itself off as the gateway to the subgraphs.
        { 'x-hub-identity': 'eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0eSI6eyJraW5kIjoibWVtYmVyIn19.x' },
        { 'x-hub-gateway-credential': 'test-gateway-secret-0123456789' },
        { 'x-forwarded-for': "127.0.0.1, ' OR 1=1, ::1" },
        { accept: 'text/html' },
        { accept: 'application/xml' },
        { 'content-encoding': 'gzip' },
        { 'accept-encoding': 'br;q=2, gzip;q=NaN' },
        { 'apollo-require-preflight': 'ÿ'.repeat(100) },
        { 'x-big': 'x'.repeat(20_000) },
      ]),
    };
    return {
      label: 'POST with odd headers',
      method: 'POST',
      path: '/graphql',
      headers,
      body: SIMPLE_BODY,
    };
  },
} satisfies Record<string, Abuse>;

function httpAbuse(rng: Rng, index: number, credentials: Credentials): FuzzRequest {
  const kind = rng.pick(Object.keys(ABUSES) as (keyof typeof ABUSES)[]);
  const request = ABUSES[kind](rng);
  const caller = pickCaller(rng);
  return {
    ...request,
    index,
    caller,
    label: `${request.label} as ${caller}`,
    headers: { ...credentialHeaders(caller, credentials), ...request.headers },
  };
}

// ---------------------------------------------------------------------------------------------
// Bad credentials

function badCredentials(
  rng: Rng,
  index: number,
  documents: DocumentContext,
  context: GeneratorContext,
): FuzzRequest {
  const { memberToken, partnerKey } = context.credentials;
  const [header, payload, signature] = memberToken.split('.');
  const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  const headers = rng.pick<Record<string, string>>([
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: 'Bearer not-a-jwt' },
    { authorization: 'Bearer a.b.c' },
    { authorization: `Bearer ${header}.${payload}.${flipped}` },
    { authorization: `Bearer ${unsigned}` },
    {
      authorization: `Bearer ${header}.${Buffer.from('{"sub":"x","exp":1}').toString('base64url')}.${signature}`,
    },
    { authorization: `Bearer ${memberToken} extra` },
    { authorization: `bearer ${memberToken}` },
    { authorization: `Bearer ${'x'.repeat(12_000)}` },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'ApiKey hub_nope' },
    { authorization: 'ApiKey ' },
    { authorization: 'Digest ÿÿÿ' },
    { 'x-api-key': '' },
    { 'x-api-key': 'hub_' },
    { 'x-api-key': `hub_${'0'.repeat(44)}` },
    { 'x-api-key': `${partnerKey}x` },
    { 'x-api-key': `hub_${"' OR 1=1 --"}` },
    { 'x-api-key': 'sk_live_123' },
    { 'x-api-key': `hub_${'ÿ'.repeat(40)}` },
    { 'x-api-key': `hub_${'a'.repeat(10_000)}` },
    { 'x-api-key': partnerKey, authorization: `Bearer ${memberToken}` },
    { 'x-api-key': partnerKey, authorization: `ApiKey ${partnerKey}` },
  ]);
  const root = rng.pick(context.roots);
  const operation = rng.chance(0.5)
    ? rootFieldOperation(documents, root.field, root.isMutation)
    : { label: 'query me', query: '{ me { id displayName } }' };
  const request = asHttp(rng, index, operation, 'bad credential', context.credentials, headers);
  return { ...request, label: `${request.label} (${describeCredential(headers)})` };
}

function describeCredential(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(
      ([name, value]) =>
        `${name}: ${value.length > 24 ? `${value.slice(0, 24)}…(${value.length})` : value}`,
    )
    .join(', ');
}
