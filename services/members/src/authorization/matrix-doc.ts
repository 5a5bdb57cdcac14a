import {
  ACCESS_LEGEND,
  fieldRows,
  groupAccessTable,
  markdownTable,
  OUTCOME_TEXT,
  personalFieldsTable,
  withGeneratedPart,
} from '@hub/service-kit';
import {
  KEY_MINTERS,
  KEY_MINTING,
  KEY_TARGETS,
  type KeyMinter,
  type KeyTarget,
  MEMBER_FIELDS,
  MEMBER_FILTERS,
  MUTATION_RULES,
  QUERY_RULES,
  RESERVED_MEMBER_FIELDS,
  VIEWER_KINDS,
  VIEWERS,
} from './rules.js';

export const MATRIX_BEGIN =
  '<!-- BEGIN GENERATED from services/members/src/authorization/rules.ts — update with: cd services/members && pnpm exec tsx src/authorization/print-matrix.ts -->';
export const MATRIX_END = '<!-- END GENERATED -->';

const table = markdownTable;

/** The generated part of docs/authorization.md: every table is a view of rules.ts. */
export function renderAuthorizationMatrix(): string {
  const filterRows = Object.entries(MEMBER_FILTERS).map(([filter, field]) => [
    `\`${filter}\``,
    `\`${field}\``,
    MEMBER_FIELDS[field].group,
  ]);
  return [
    MATRIX_BEGIN,
    '',
    '### Member fields (項目と区分)',
    '',
    table(['field', 'group', 'about'], fieldRows(MEMBER_FIELDS, RESERVED_MEMBER_FIELDS)),
    '',
    '### Who reads which group (区分ごとの参照可否)',
    '',
    ACCESS_LEGEND,
    '',
    groupAccessTable({ viewers: VIEWERS, kindOf: VIEWER_KINDS }),
    '',
    '### Personal fields one by one (個人情報の項目ごと)',
    '',
    personalFieldsTable({ table: MEMBER_FIELDS, viewers: VIEWERS, kindOf: VIEWER_KINDS }),
    '',
    '### Filters of `members` (絞り込み)',
    '',
    'A filter matches only members whose field the caller may read (personal filters are refused outright for callers who may read nobody’s); a partner’s filter on a non-public field is audited for every member it returns.',
    '',
    table(['filter', 'reveals field', 'group'], filterRows),
    '',
    '### Minting partner keys (パートナーキーの発行: `createApiKey`)',
    '',
    'Partner status and its ceiling (scopes, purposes) are granted by a hub admin (`grantPartnership`); the key verification route also refuses keys of organisations that are no longer partners or whose ceiling no longer covers them.',
    '',
    table(
      ['caller', ...Object.values(KEY_TARGETS)],
      (Object.keys(KEY_MINTERS) as KeyMinter[]).map((minter) => [
        KEY_MINTERS[minter],
        ...(Object.keys(KEY_TARGETS) as KeyTarget[]).map(
          (target) => OUTCOME_TEXT[KEY_MINTING[minter][target]],
        ),
      ]),
    ),
    '',
    '### Mutations (変更)',
    '',
    table(
      ['mutation', 'who may call it'],
      Object.entries(MUTATION_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    '### Queries and other fields (問い合わせ)',
    '',
    table(
      ['query / field', 'who may call it'],
      Object.entries(QUERY_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    MATRIX_END,
  ].join('\n');
}

/** The document with its generated part replaced (or appended when the markers are missing). */
export function withRenderedMatrix(document: string): string {
  return withGeneratedPart(
    document,
    { begin: MATRIX_BEGIN, end: MATRIX_END },
    renderAuthorizationMatrix(),
  );
}
