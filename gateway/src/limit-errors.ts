import { type ASTNode, GraphQLError } from 'graphql';

/**
 * One code per operation limit, so a client can tell which bound it crossed (and the message
 * names it): never a "Syntax Error" for a document that is well formed but too big.
 */
export const LIMIT_ERROR_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  cost: 'COST_LIMIT_EXCEEDED',
  directives: 'DIRECTIVE_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  variableDepth: 'VARIABLE_DEPTH_LIMIT_EXCEEDED',
  introspectionDepth: 'INTROSPECTION_DEPTH_LIMIT_EXCEEDED',
} as const;
export type LimitName = keyof typeof LIMIT_ERROR_CODES;
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[LimitName];

const LIMIT_CODES: ReadonlySet<unknown> = new Set(Object.values(LIMIT_ERROR_CODES));

const WHAT: Record<LimitName, [japanese: string, english: string]> = {
  depth: ['クエリの深さ', 'query depth'],
  aliases: ['別名 (alias) の数', 'aliases'],
  cost: ['クエリのコスト', 'query cost'],
  directives: ['ディレクティブの数', 'directives'],
  tokens: ['文書のトークン数', 'document tokens'],
  variableDepth: ['変数の入れ子', 'variable nesting'],
  introspectionDepth: ['イントロスペクションの入れ子', 'introspection nesting'],
};

/**
 * A request over one of the gateway's limits: HTTP 400, `extensions.code` the limit's own code,
 * `extensions.limit` the bound and, where counted, `extensions.found` what the request had.
 */
export function limitExceededError(
  limit: LimitName,
  bound: number,
  options: { found?: number; nodes?: ASTNode | readonly ASTNode[] } = {},
): GraphQLError {
  const [japanese, english] = WHAT[limit];
  const { found } = options;
  const counted = found === undefined ? '' : ` ${found} `;
  return new GraphQLError(
    `${japanese}${counted}が上限 ${bound} を超えています (${english} limit of ${bound} exceeded${found === undefined ? '' : `: found ${found}`})`,
    {
      nodes: options.nodes,
      extensions: {
        code: LIMIT_ERROR_CODES[limit],
        limit: bound,
        ...(found === undefined ? {} : { found }),
        http: { status: 400 },
      },
    },
  );
}

/**
 * The limit error behind an error Apollo reports: validation errors reach the formatter under
 * Apollo's own GRAPHQL_VALIDATION_FAILED, with the rule's error as `originalError`.
 */
export function limitErrorOf(error: unknown): GraphQLError | null {
  for (let candidate = error; candidate instanceof Error; ) {
    if (candidate instanceof GraphQLError && LIMIT_CODES.has(candidate.extensions.code)) {
      return candidate;
    }
    const next: unknown = candidate instanceof GraphQLError ? candidate.originalError : undefined;
    if (next === candidate) break;
    candidate = next;
  }
  return null;
}
