import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import {
  type ASTNode,
  BREAK,
  GraphQLError,
  type GraphQLFormattedError,
  parse,
  visit,
} from 'graphql';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './database-errors.js';

/**
 * The typed error families a mutation's payload can carry (see mutation.ts): every domain code
 * belongs to exactly one, so a client switches on `__typename` (the family) or on `code`.
 */
export const TYPED_ERROR_FAMILIES = [
  'InvalidInputError',
  'NotFoundError',
  'ConflictError',
  'CredentialError',
] as const;
export type TypedErrorFamily = (typeof TYPED_ERROR_FAMILIES)[number];

type ErrorCodeContract = {
  /** The typed error a mutation returns it as, or null: never typed, always in `errors[]`. */
  family: TypedErrorFamily | null;
  /** What it means, for the `ErrorCode` enum's SDL (partners read it). */
  description: string;
};

/**
 * The closed set of error codes clients may rely on (`extensions.code` in `errors[]`, `code` in
 * a typed error), with the family each domain code is typed as. Authentication, authorization,
 * limits and availability have no family: they are about the request, not the domain, and stay
 * in `errors[]` (docs/SERVICE_GUIDE.md, "Mutations"). Adding a code means deciding its family.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: {
    family: 'InvalidInputError',
    description: '入力が正しくない — field が項目を示す (invalid input; field names it)',
  },
  INVALID_MUNICIPALITY_CODE: {
    family: 'InvalidInputError',
    description:
      '全国地方公共団体コードの形式またはチェックディジットが正しくない (malformed municipality code or check digit)',
  },
  COORDINATES_OUTSIDE_JAPAN: {
    family: 'InvalidInputError',
    description:
      '座標が日本の範囲外 (緯度 20〜46、経度 122〜154) (coordinates outside Japan: latitude 20–46, longitude 122–154)',
  },
  INVALID_OPENING_HOURS: {
    family: 'InvalidInputError',
    description:
      '営業時間の時間帯が重なっている、または終了が開始より前 (opening hours overlap or end before they start)',
  },
  INVALID_PRICE: {
    family: 'InvalidInputError',
    description: '料金は 0 円以上の整数 (a price must be a whole number of yen, 0 or more)',
  },
  UNKNOWN_MUNICIPALITY: {
    family: 'NotFoundError',
    description: '市区町村コードが登録されていない (no such municipality)',
  },
  NOT_FOUND: {
    family: 'NotFoundError',
    description: '指定したものが見つからない (the thing named was not found)',
  },
  CONFLICT: {
    family: 'ConflictError',
    description: '現在の状態と矛盾する (conflicts with the current state)',
  },
  // Passes of a coworking visa / common ticket (spaces): each says why a redemption was refused.
  PASS_EXPIRED: {
    family: 'ConflictError',
    description: 'パスの有効期間外の日付 (the date is outside the pass’s validity)',
  },
  PASS_NOT_ELIGIBLE: {
    family: 'ConflictError',
    description:
      'ネットワーク内のホーム拠点で必要なプランの会員資格がない (no membership of a home space in the network on the required plan)',
  },
  PASS_HOST_NOT_IN_NETWORK: {
    family: 'InvalidInputError',
    description:
      '利用先の拠点はこのパスのネットワークに入っていない (the host space is not in the pass’s network)',
  },
  PASS_NOTICE_TOO_SHORT: {
    family: 'InvalidInputError',
    description: '利用先が求める事前連絡の日数に足りない (less notice than the host requires)',
  },
  PASS_ALLOWANCE_EXCEEDED: {
    family: 'ConflictError',
    description:
      'その月の無料利用日数を使い切っている (the month’s free days at the host are used up)',
  },
  PASS_ALREADY_REDEEMED: {
    family: 'ConflictError',
    description: 'この日はすでにパスを利用済み (the pass was already used on that day)',
  },
  PASS_REDEMPTION_NOT_FOUND: {
    family: 'NotFoundError',
    description:
      'パスの利用が見つからない — 取り消し済みを含む (no such pass redemption, or it was already cancelled)',
  },
  PASS_REDEMPTION_TOO_LATE: {
    family: 'ConflictError',
    description:
      '利用日当日以降は本人が取り消せない — 拠点のスタッフに依頼する (the holder can cancel only before the day; staff can later)',
  },
  // Rooms, satellite offices and presence (spaces).
  ROOM_ALREADY_LET: {
    family: 'ConflictError',
    description:
      'この部屋はその期間の一部をすでに貸し出している (the room is already let for part of that period)',
  },
  ENTRY_REFUSED: {
    family: 'ConflictError',
    description:
      '入室が認められない — 理由は canEnter と同じ (entry not allowed; canEnter says why)',
  },
  OVER_CAPACITY: {
    family: 'ConflictError',
    description:
      '定員に達している、またはワーカーの期間内の残り稼働可能時間を超える — message が数値を示す (the space or room is full, or the worker’s remaining hours for the period are exceeded; the message gives the numbers)',
  },
  ALREADY_CHECKED_IN: {
    family: 'ConflictError',
    description: 'すでにこの拠点にチェックインしている (already checked in at this space)',
  },
  NOT_CHECKED_IN: {
    family: 'ConflictError',
    description: 'チェックインしていない (not checked in)',
  },
  CAPACITY_BELOW_OCCUPANCY: {
    family: 'ConflictError',
    description: '定員が現在の在室人数より少ない (capacity below the people inside now)',
  },
  // Figures over a period (spaces' Municipality.spaceFigures).
  INVALID_PERIOD: {
    family: 'InvalidInputError',
    description:
      '期間が正しくない — 開始日が終了日より後、366 日を超える、または対象の年の範囲外 (invalid period: from after to, longer than 366 days, or outside the years covered)',
  },
  // Matching (issue 11): an offer or an introduction is answered once by each member.
  ALREADY_ANSWERED: {
    family: 'ConflictError',
    description:
      'すでに回答済み — 打診・紹介への承諾・辞退は一度だけ (already answered; an offer or an introduction is accepted or declined only once)',
  },
  // Candidate ranking (matching's setRankingWeights).
  INVALID_WEIGHTS: {
    family: 'InvalidInputError',
    description:
      'ランキングの重みが正しくない — 負の値、整数でない、上限超え、またはすべて 0 (invalid ranking weights: negative, not whole, above the maximum, or all zero)',
  },
  // Work orders, delegation and assignments (matching, issue 11).
  DEADLINE_IN_PAST: {
    family: 'InvalidInputError',
    description: '納期が過去の日時 (the deadline is in the past)',
  },
  DEADLINE_TOO_FAR: {
    family: 'InvalidInputError',
    description: '納期が先すぎる — 5 年以内 (the deadline is too far ahead: at most 5 years)',
  },
  INVALID_TRANSITION: {
    family: 'ConflictError',
    description:
      '現在の状態からはその操作ができない — message が現在の状態を示す (not allowed from the current status; the message names it)',
  },
  OPEN_ASSIGNMENTS: {
    family: 'ConflictError',
    description:
      '未完了の割り当て (打診中・承諾済み・作業中) が残っている (assignments still offered, accepted or in progress)',
  },
  DELEGATION_EXCEEDS_REMAINING: {
    family: 'ConflictError',
    description:
      '再委託する量が発注の残りの作業量を超える — message が残量を示す (the delegated volume exceeds the order’s remaining volume; the message gives it)',
  },
  ALLOCATION_EXCEEDS_REMAINING: {
    family: 'ConflictError',
    description:
      '割り当てる量が発注の残りの作業量を超える — message が残量を示す (the allocated volume exceeds the order’s remaining volume; the message gives it)',
  },
  NOT_ELIGIBLE: {
    family: 'ConflictError',
    description:
      'このワーカーはこの発注を受けられない — 受託組織への登録がない、または機密案件で発注元の拠点に入れない (the worker may not take this order: not registered with the receiving organisation, or not allowed into the client’s office for a confidential order)',
  },
  UNAUTHENTICATED: { family: null, description: 'サインインが必要 (sign-in required)' },
  FORBIDDEN: { family: null, description: '権限がない (not allowed)' },
  // Identity and partner access (members, gateway).
  EMAIL_TAKEN: {
    family: 'ConflictError',
    description: 'メールアドレスは登録済み (email already registered)',
  },
  WEAK_PASSWORD: {
    family: 'InvalidInputError',
    description: 'パスワードが弱い (password too weak)',
  },
  INVALID_CREDENTIALS: {
    family: 'CredentialError',
    description: 'メールアドレスまたはパスワードが違う (wrong email or password)',
  },
  // A throttle on failed sign-ins (per account and per address): a limit, like RATE_LIMITED.
  ACCOUNT_LOCKED: {
    family: null,
    description: '失敗が続いたため一時的にロック中 (locked for a while after failed attempts)',
  },
  INVALID_REFRESH_TOKEN: {
    family: 'CredentialError',
    description: 'リフレッシュトークンが無効 (invalid refresh token)',
  },
  REFRESH_TOKEN_REUSED: {
    family: 'CredentialError',
    description:
      '使用済みのリフレッシュトークン — セッションは終了 (refresh token reused; the session ended)',
  },
  INVALID_CORPORATE_NUMBER: {
    family: 'InvalidInputError',
    description: '法人番号が正しくない (invalid corporate number)',
  },
  UNKNOWN_SKILL: { family: 'NotFoundError', description: '不明なスキル (unknown skill)' },
  SKILL_LEVEL_OUT_OF_RANGE: {
    family: 'InvalidInputError',
    description: 'スキルレベルが範囲外 (skill level out of range)',
  },
  INVALID_INVITATION: {
    family: 'CredentialError',
    description: '招待コードが無効 (invalid invitation code)',
  },
  INVITATION_EXPIRED: {
    family: 'CredentialError',
    description: '招待コードの期限切れ (invitation expired)',
  },
  API_KEY_REVOKED: { family: null, description: 'API キーは失効済み (API key revoked)' },
  API_KEY_EXPIRED: { family: null, description: 'API キーの期限切れ (API key expired)' },
  CONSENT_REQUIRED: {
    family: null,
    description: '本人の同意がない (the member has not consented)',
  },
  MEMBER_ERASED: {
    family: 'NotFoundError',
    description: '会員は削除済み (the member was erased)',
  },
  RATE_LIMITED: { family: null, description: '回数制限を超えた (rate limited)' },
  // Partner status (issue 6): the organisation is not (or no longer) a partner; a key or a
  // consent asks for a scope or purpose beyond the partner's ceiling.
  NOT_A_PARTNER: { family: null, description: 'パートナーではない (not a partner)' },
  OUTSIDE_PARTNER_CEILING: {
    family: null,
    description: 'パートナーの上限を超える (beyond the partner’s ceiling)',
  },
  // Not the client's mistake and not a bug (issue 7): the service cannot serve the request right
  // now — no database connection became free in time, the connection broke, a statement, lock or
  // transaction timed out. Nothing was done unless the message says otherwise; try again (after
  // `retryAfterSeconds`). The formatter gives every such database failure this code.
  SERVICE_UNAVAILABLE: {
    family: null,
    description: '一時的に処理できない — 再試行 (temporarily unavailable; try again)',
  },
} as const satisfies Record<string, ErrorCodeContract>;

export type AppErrorCode = keyof typeof ERROR_CODES;

/** Every code, in declaration order. */
export const APP_ERROR_CODES = Object.keys(ERROR_CODES) as AppErrorCode[];

/** The codes a mutation can return as a typed error: the `ErrorCode` enum. */
export type DomainErrorCode = {
  [Code in AppErrorCode]: (typeof ERROR_CODES)[Code]['family'] extends null ? never : Code;
}[AppErrorCode];

export const DOMAIN_ERROR_CODES = APP_ERROR_CODES.filter(
  (code) => ERROR_CODES[code].family !== null,
) as DomainErrorCode[];

/** The typed error family of a code, or null when it always stays in `errors[]`. */
export function familyOf(code: AppErrorCode): TypedErrorFamily | null {
  return ERROR_CODES[code].family;
}

/**
 * A message as the hub writes them, `日本語 (English)`, in its two halves: the trailing
 * parenthesised part is the English. A message without one is used for both.
 */
export function splitMessage(message: string): { ja: string; en: string } {
  const text = message.trim();
  if (!text.endsWith(')')) return { ja: text, en: text };
  let depth = 0;
  for (let index = text.length - 1; index >= 0; index -= 1) {
    const char = text[index];
    if (char === ')') depth += 1;
    else if (char === '(') {
      depth -= 1;
      if (depth === 0) {
        const ja = text.slice(0, index).trim();
        const en = text.slice(index + 1, -1).trim();
        return ja && en ? { ja, en } : { ja: text, en: text };
      }
    }
  }
  return { ja: text, en: text };
}

/** An error meant for the client: a stable code and a Japanese message (English alongside). */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, {
      extensions: { code: this.code, ...this.details },
    });
  }
}

// Codes Apollo/graphql-js produce for malformed requests: safe to show as they are.
const CLIENT_FACING_CODES = new Set<string>([
  ...APP_ERROR_CODES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export const INTERNAL_ERROR_MESSAGE = '内部エラーが発生しました (internal server error)';

export const SERVICE_UNAVAILABLE_MESSAGE =
  '一時的に処理できませんでした。少し待ってからもう一度お試しください (temporarily unavailable; please try again shortly)';

/** What a database failure that may pass on a retry (isDatabaseUnavailable) becomes. */
export function serviceUnavailableError(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', SERVICE_UNAVAILABLE_MESSAGE, {
    retryAfterSeconds: 1,
  });
}

/**
 * The body of a response that failed inside the server: the generic message and the request
 * id, which the log lines about the failure carry too.
 */
export function internalErrorBody(requestId: string) {
  return {
    errors: [
      {
        message: INTERNAL_ERROR_MESSAGE,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      },
    ],
  };
}

/** Whether an error reaches the client with its own message (possibly rephrased), unmasked. */
export function isClientFacingError(error: unknown): boolean {
  const original = originalOf(error);
  if (original instanceof AppError || isDatabaseUnavailable(original)) return true;
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && isScalarLiteralError(error, original)) return true;
  return typeof code === 'string' && CLIENT_FACING_CODES.has(code);
}

/**
 * Apollo `formatError`: client-facing errors keep their message and code; anything else is an
 * internal failure whose text may leak internals (SQL, hosts, paths), so it becomes the generic
 * message — unless the operator asked for debug output (`HUB_DEBUG`, loopback only), which
 * keeps the original message. The request id is added by createErrorReportingPlugin, which
 * also logs the cause.
 */
export function createErrorFormatter(options: { debugErrors: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let original = originalOf(error);
    if (!(original instanceof AppError) && isDatabaseUnavailable(original)) {
      original = serviceUnavailableError();
    }
    if (original instanceof AppError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...original.details },
      };
    }
    const literal = scalarLiteralErrorOf(formatted, error);
    if (literal) return literal;
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_FACING_CODES.has(code)) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    return {
      message: options.debugErrors ? formatted.message : INTERNAL_ERROR_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

// Failures on the service's side: the answer carries the request id, under which the cause is
// logged, so a user can quote it.
const SERVER_FAULT_CODES = new Set<unknown>(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/**
 * Logs the cause of every error the formatter masks, with the request id, and puts that id on
 * the masked errors (`extensions.requestId`) so a user can quote it.
 */
export function createErrorReportingPlugin<Context extends { requestId: string }>(
  logger: Logger,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const original = originalOf(error);
            if (!(original instanceof AppError) && isDatabaseUnavailable(original)) {
              // Answered SERVICE_UNAVAILABLE; operators still want the cause (and how often).
              logger.warn(
                { requestId: contextValue.requestId, path: error.path, err: original },
                'database unavailable: answered SERVICE_UNAVAILABLE',
              );
              continue;
            }
            if (isClientFacingError(error)) continue;
            logger.error(
              { requestId: contextValue.requestId, path: error.path, err: originalOf(error) },
              'internal error masked for the client',
            );
          }
        },
        async willSendResponse({ contextValue, response }) {
          stampRequestId(response, contextValue.requestId, SERVER_FAULT_CODES);
        },
      };
    },
  };
}

/**
 * Adds `extensions.requestId` to every error of the response whose code is one of `faultCodes`
 * (failures on the server's side), so a user can quote the id under which the cause is logged.
 */
export function stampRequestId(
  response: GraphQLResponse,
  requestId: string,
  faultCodes: ReadonlySet<unknown>,
): void {
  if (response.body.kind !== 'single') return;
  const result = response.body.singleResult;
  if (!result.errors) return;
  result.errors = result.errors.map((error) =>
    faultCodes.has(error.extensions?.code)
      ? { ...error, extensions: { ...error.extensions, requestId } }
      : error,
  );
}

function originalOf(error: unknown): unknown {
  return error instanceof GraphQLError ? (error.originalError ?? error) : error;
}

/**
 * Whether a validation error was thrown by a scalar's `parseLiteral` (an inline value it cannot
 * accept): graphql-js reports what the scalar threw — a GraphQLError as it is, anything else
 * as the cause of its own error — and Apollo labels it GRAPHQL_VALIDATION_FAILED, which the
 * gateway must treat as a gateway/subgraph mismatch. The same value given as a variable is a
 * BAD_USER_INPUT; so is this. Validation rules' own errors have no such cause.
 */
function isScalarLiteralError(error: unknown, original: unknown): boolean {
  if (!(error instanceof GraphQLError) || original === error) return false;
  if (!(original instanceof GraphQLError)) return original instanceof Error;
  return original.extensions.code === 'BAD_USER_INPUT';
}

/**
 * A custom scalar's refusal of an inline literal as the client should see it: BAD_USER_INPUT
 * naming the argument (`extensions.field`), as for the same value given as a variable. Null for
 * any other error. The subgraphs' and the gateway's error formatters both use it.
 */
export function scalarLiteralErrorOf(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED') return null;
  const original = originalOf(error);
  if (!isScalarLiteralError(error, original)) return null;
  return scalarLiteralError(formatted, error as GraphQLError, original);
}

function scalarLiteralError(
  formatted: GraphQLFormattedError,
  error: GraphQLError,
  original: unknown,
): GraphQLFormattedError {
  const argument = argumentPathOf(error.nodes?.[0]);
  const reason = original instanceof GraphQLError ? original.message : formatted.message;
  return {
    message: argument
      ? `引数 ${argument} の値が不正です (invalid value for argument "${argument}"): ${reason}`
      : reason,
    locations: formatted.locations,
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { field: argument } : {}) },
  };
}

/**
 * The argument (and input fields within it) a literal was given for, e.g. `filter.from`, found by
 * re-reading the operation: AST nodes know their position but not their parents. Only runs for
 * a refused literal.
 */
function argumentPathOf(node: ASTNode | undefined): string | undefined {
  const source = node?.loc?.source;
  if (!node || !source) return undefined;
  const start = node.loc?.start;
  const names: string[] = [];
  let found: string | undefined;
  visit(parse(source), {
    Argument: {
      enter: (argument) => void names.push(argument.name.value),
      leave: () => void names.pop(),
    },
    ObjectField: {
      enter: (field) => void names.push(field.name.value),
      leave: () => void names.pop(),
    },
    enter(candidate) {
      if (candidate.kind !== node.kind || candidate.loc?.start !== start) return undefined;
      found = names.length > 0 ? names.join('.') : undefined;
      return BREAK;
    },
  });
  return found;
}
