import {
  ACCESS_COLUMNS,
  ACCESS_MATRIX,
  type AccessOutcome,
  fieldsOfGroup,
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
  VIEWERS,
  type Viewer,
} from './rules.js';

export const MATRIX_BEGIN =
  '<!-- BEGIN GENERATED from services/members/src/authorization/rules.ts — update with: cd services/members && pnpm exec tsx src/authorization/print-matrix.ts -->';
export const MATRIX_END = '<!-- END GENERATED -->';

const OUTCOME_TEXT: Record<AccessOutcome, string> = {
  ok: '✅',
  'ok+audit': '✅ 📝',
  UNAUTHENTICATED: '❌ UNAUTHENTICATED',
  FORBIDDEN: '❌ FORBIDDEN',
  CONSENT_REQUIRED: '❌ CONSENT_REQUIRED',
  NOT_A_PARTNER: '❌ NOT_A_PARTNER',
  OUTSIDE_PARTNER_CEILING: '❌ OUTSIDE_PARTNER_CEILING',
};

const COLUMN_TEXT: Record<(typeof ACCESS_COLUMNS)[number], string> = {
  public: 'public',
  'profile:PUBLIC': 'profile (visibility PUBLIC)',
  'profile:MEMBERS': 'profile (visibility MEMBERS)',
  'profile:STAFF': 'profile (visibility STAFF)',
  personal: 'personal',
  owner: 'owner',
};

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const viewers = Object.keys(VIEWERS) as Viewer[];

/** The generated part of docs/authorization.md: every table is a view of rules.ts. */
export function renderAuthorizationMatrix(): string {
  const fieldRows = [
    ...Object.entries(MEMBER_FIELDS).map(([field, rule]) => [
      `\`${field}\``,
      rule.group,
      rule.about,
    ]),
    ...Object.entries(RESERVED_MEMBER_FIELDS).map(([field, rule]) => [
      `\`${field}\` (reserved)`,
      rule.group,
      rule.about,
    ]),
  ];
  const groupRows = viewers.map((viewer) => [
    VIEWERS[viewer],
    ...ACCESS_COLUMNS.map((column) => OUTCOME_TEXT[ACCESS_MATRIX[viewer][column]]),
  ]);
  const personal = fieldsOfGroup('personal');
  const personalRows = viewers.map((viewer) => [
    VIEWERS[viewer],
    ...personal.map(() => OUTCOME_TEXT[ACCESS_MATRIX[viewer].personal]),
  ]);
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
    table(['field', 'group', 'about'], fieldRows),
    '',
    '### Who reads which group (区分ごとの参照可否)',
    '',
    '✅ the value · ✅ 📝 the value, and a PARTNER_READ audit entry · ❌ CODE: null and an error with that code at the field. A partner key reads through consent only when its organisation is a partner now, the key is within the partner’s ceiling, and the member’s live consent names that organisation and the key’s purpose.',
    '',
    table(['viewer', ...ACCESS_COLUMNS.map((column) => COLUMN_TEXT[column])], groupRows),
    '',
    '### Personal fields one by one (個人情報の項目ごと)',
    '',
    table(['viewer', ...personal.map((field) => `\`${field}\``)], personalRows),
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
  const begin = document.indexOf(MATRIX_BEGIN);
  const end = document.indexOf(MATRIX_END);
  if (begin === -1 || end === -1)
    return `${document.trimEnd()}\n\n${renderAuthorizationMatrix()}\n`;
  return (
    document.slice(0, begin) + renderAuthorizationMatrix() + document.slice(end + MATRIX_END.length)
  );
}
