import { GATEWAY_CLIENT_ERROR_CODES } from '@hub/gateway';
import { APP_ERROR_CODES } from '@hub/service-kit';
import type { FuzzRequest } from './requests.js';

/** What came back for one request (or why nothing did). */
export type FuzzResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  durationMs: number;
  /** Set when no HTTP response arrived (timeout, reset connection). */
  failure?: string;
};

/**
 * One broken promise of the API. `kind` names the rule; `signature` says what exactly broke,
 * so that many requests tripping over the same defect are reported once, with examples.
 */
export type Violation = {
  kind: string;
  signature: string;
  /** The kind of request (and the subgraph) it happened on: many places, one signature. */
  where?: string;
  /** What exactly was found, for the examples. */
  detail?: string;
};

/**
 * Codes a client may be given: the services' stable AppError codes and the gateway's answers to
 * a client's mistake (request shape, operation limits, CORS). Anything else
 * (INTERNAL_SERVER_ERROR, SUBGRAPH_UNAVAILABLE, SUBGRAPH_TIMEOUT, DOWNSTREAM_SERVICE_ERROR, a
 * missing code) means the request reached an unguarded failure: every subgraph is up for the
 * whole run, so the input caused it.
 */
export const CLIENT_ERROR_CODES = new Set<string>([
  ...APP_ERROR_CODES,
  ...GATEWAY_CLIENT_ERROR_CODES,
]);

/** Where a subgraph listens, and anything else that must never reach a client. */
export type CheckContext = { internalAddresses: string[] };

// Evidence of internals in a response. Each pattern names what it found; they are written so
// that ordinary messages (including the Japanese ones with English in parentheses) never match.
const LEAKS: [what: string, pattern: RegExp][] = [
  [
    'stack trace',
    /\bat (?:async )?(?:[\w$.<>[\] ]+ )?\(?(?:file:\/\/|node:|\/)[^\s)'"]*:\d+(?::\d+)?\)?/,
  ],
  ['stack trace', /\n\s+at \S/],
  ['file path', /\/work\/|\/home\/|\/usr\/lib\/|node_modules|\bfile:\/\//],
  ['source line reference', /\.(?:[cm]?[jt]s|tsx?)[:(]\d+/],
  ['originalMessage', /originalMessage/],
  ['stacktrace', /stacktrace/i],
  ['exception', /"exception"/],
  [
    'SQL error',
    /invalid input syntax|syntax error at or near|violates|duplicate key value|invalid byte sequence|value too long for type|out of range for type|integer out of range|numeric field overflow|index row size|null value in column|unterminated quoted|operator does not exist|could not (?:determine|convert)|deadlock detected|canceling statement/i,
  ],
  [
    'SQL text',
    /\bSELECT\b[\s\S]{0,200}?\bFROM\b|\bINSERT INTO\b|\bUPDATE\s+"|\bDELETE FROM\b|relation "|column "|"public"\./,
  ],
  ['Prisma internals', /prisma\.\w+\.\w+\(|PrismaClient|Invalid `prisma|P20\d\d\b|@prisma\//],
  [
    'JavaScript error',
    /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|URIError|AggregateError)\b|Cannot read propert|is not a function|\b[\w$]+ is not defined\b(?! by)|Maximum call stack/,
  ],
  ['network internals', /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|UND_ERR_|socket hang up/],
];

/**
 * Every rule a response must keep: no 5xx, only client error codes, a GraphQL-shaped JSON body,
 * and nothing internal in the body or the headers.
 */
export function checkResponse(
  request: FuzzRequest,
  response: FuzzResponse,
  context: CheckContext,
): Violation[] {
  const what = requestKind(request);
  if (response.failure) {
    return [{ kind: 'no response', signature: normalise(response.failure), where: what }];
  }
  const violations: Violation[] = [];
  if (response.status >= 500) {
    violations.push({
      kind: `HTTP ${response.status}`,
      signature: firstMessage(response.body, what),
      where: what,
    });
  }
  const parsed = parseJson(response.body);
  const isJson = /json/.test(String(response.headers['content-type'] ?? ''));
  if (
    request.path.startsWith('/graphql') &&
    response.status === 200 &&
    !isGraphQLResponse(parsed)
  ) {
    violations.push({
      kind: 'malformed response',
      signature: '200 without data or errors',
      where: what,
    });
  }
  if (isJson && parsed === undefined && response.body !== '') {
    violations.push({
      kind: 'malformed response',
      signature: 'JSON content-type, body not JSON',
      where: what,
    });
  }
  for (const error of errorsOf(parsed)) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') {
      violations.push({
        kind: 'error without a code',
        signature: normalise(error.message),
        where: what,
      });
    } else if (!CLIENT_ERROR_CODES.has(code)) {
      // With HUB_DEBUG the masked message travels as `originalMessage`: the best signature.
      const service = error.extensions?.serviceName ?? 'gateway';
      violations.push({
        kind: code,
        signature: causeOf(error, what),
        where: `${what} → ${service}`,
      });
    }
  }
  for (const leak of findLeaks(request, response, context))
    violations.push({ ...leak, where: what });
  return violations;
}

/**
 * Internals in the body or headers, unless the client sent the very same text itself. One
 * violation per place, naming everything found there and the error codes it came with.
 */
function findLeaks(
  request: FuzzRequest,
  response: FuzzResponse,
  context: CheckContext,
): Violation[] {
  const sent = `${request.path}\n${JSON.stringify(request.headers)}\n${String(request.body ?? '')}`;
  const headers = Object.entries(response.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n');
  const codes = [
    ...new Set(errorsOf(parseJson(response.body)).map((error) => String(error.extensions?.code))),
  ];
  // Grouped by whether the errors were client errors or masked internal ones: the same leak
  // on every client error is one defect, a leak on masked errors another.
  const along =
    codes.length === 0
      ? 'a response without errors'
      : codes.every((code) => CLIENT_ERROR_CODES.has(code))
        ? 'client errors'
        : 'internal errors';
  const violations: Violation[] = [];
  for (const [where, text] of [
    ['body', response.body],
    ['headers', headers],
  ] as const) {
    const found = new Map<string, string>();
    for (const [what, pattern] of LEAKS) {
      const match = pattern.exec(text)?.[0];
      // An echo of the client's own input (e.g. a field value it sent) is not a leak.
      if (match && !sent.includes(match) && !found.has(what)) found.set(what, excerpt(text, match));
    }
    for (const address of context.internalAddresses) {
      if (text.includes(address)) found.set(`internal address ${address}`, excerpt(text, address));
    }
    if (found.size === 0) continue;
    violations.push({
      kind: 'leak of internals',
      signature: `${[...found.keys()].join(' + ')} in the ${where} of ${along}`,
      detail: `${codes.length > 0 ? `(codes ${codes.join(', ')}) ` : ''}${[...found]
        .map(([what, text]) => `${what}: ${text}`)
        .join(' | ')}`,
    });
  }
  return violations;
}

/** The request without its caller: what kind of request it was. */
export function requestKind(request: FuzzRequest): string {
  return request.label
    .replace(/ as (?:anonymous|member|admin|partner|bad credential).*$/, '')
    .replace(', hostile)', ')');
}

type ErrorShape = { message?: unknown; extensions?: Record<string, unknown> };

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isGraphQLResponse(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ('data' in value || 'errors' in value)
  );
}

function errorsOf(value: unknown): ErrorShape[] {
  if (typeof value !== 'object' || value === null || !('errors' in value)) return [];
  const { errors } = value as { errors: unknown };
  return Array.isArray(errors) ? (errors as ErrorShape[]) : [];
}

function firstMessage(body: string, what: string): string {
  const [error] = errorsOf(parseJson(body));
  return error ? causeOf(error, what) : normalise(body);
}

/**
 * What went wrong, as far as the response tells: the original message when the hub runs with
 * HUB_DEBUG; otherwise every masked error reads the same, so the kind of request is the best
 * guess at which defect it is.
 */
function causeOf(error: ErrorShape, what: string): string {
  const original = error.extensions?.originalMessage;
  if (original !== undefined) return normalise(original);
  const request = what
    .replace(/^(?:GET|POST) /, '')
    .replace(/ \((?:inline|variables|mixed)\)$/, '');
  return `${normalise(error.message)} — ${request}`;
}

/**
 * A message with its variable parts (numbers, quoted values, ids) blanked, so one defect met
 * with many inputs is one group.
 */
export function normalise(message: unknown): string {
  return (
    String(message)
      .replace(/"[^"]*"|'[^']*'|`[^`]*`|“[^”]*”/g, '…')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
      .replace(/\d+/g, 'N')
      .replace(/\s+/g, ' ')
      // A value at the end after a colon (`Invalid cursor: abc`) is the client's input.
      .replace(/(cursor): .*$|: \S*$/i, (_, word) => `${word ?? ''}: …`)
      .slice(0, 160)
  );
}

function excerpt(text: string, match: string): string {
  const at = text.indexOf(match);
  return text
    .slice(Math.max(0, at - 40), at + match.length + 40)
    .replace(/\s+/g, ' ')
    .slice(0, 140);
}
