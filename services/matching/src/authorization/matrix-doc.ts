import {
  ACCESS_LEGEND,
  fieldRows,
  groupAccessTable,
  markdownTable,
  withGeneratedPart,
} from '@hub/service-kit';
import {
  ASSIGNMENT_FIELDS,
  ASSIGNMENT_QUERY_RULES,
  ASSIGNMENT_VIEWER_KINDS,
  ASSIGNMENT_VIEWERS,
  PEOPLE_RULES,
  WORKER_FIELDS,
  WORKER_FILTERS,
  WORKER_QUERY_RULES,
  WORKER_VIEWER_KINDS,
  WORKER_VIEWERS,
} from './rules.js';

export const MATRIX_BEGIN =
  '<!-- BEGIN GENERATED from services/matching/src/authorization/rules.ts — update with: cd services/matching && pnpm exec tsx src/authorization/print-matrix.ts -->';
export const MATRIX_END = '<!-- END GENERATED (matching) -->';

/** Matching's generated part of docs/authorization.md: every table is a view of rules.ts. */
export function renderWorkerMatrix(): string {
  return [
    MATRIX_BEGIN,
    '',
    '#### Worker fields (ワーカーの項目と区分)',
    '',
    markdownTable(['field', 'group', 'about'], fieldRows(WORKER_FIELDS)),
    '',
    '#### Who reads which group of a Worker (区分ごとの参照可否)',
    '',
    `${ACCESS_LEGEND} A profile field of a Worker follows the member’s profile visibility, which matching copies from members’ events (\`profileVisibility\` of \`members.member.registered\` / \`profile-updated\`); until one carrying it arrives, it is read as under visibility STAFF. A partner read is recorded by members from \`matching.partner-read.recorded\` (fields named \`Worker.<field>\`).`,
    '',
    groupAccessTable({
      viewers: WORKER_VIEWERS,
      kindOf: WORKER_VIEWER_KINDS,
      columns: ['public', 'profile:PUBLIC', 'profile:MEMBERS', 'profile:STAFF', 'personal'],
    }),
    '',
    '#### Filters of `workers` (絞り込み)',
    '',
    'The list itself matches only workers whose personal fields the caller may read; a filter matches only workers whose filtered field the caller may read; a partner’s filter is audited for every worker it returns.',
    '',
    markdownTable(
      ['filter', 'reveals field', 'group'],
      Object.entries(WORKER_FILTERS).map(([filter, field]) => [
        `\`${filter}\``,
        `\`${field}\``,
        WORKER_FIELDS[field].group,
      ]),
    ),
    '',
    '#### Queries (問い合わせ)',
    '',
    markdownTable(
      ['query / field', 'who may call it'],
      Object.entries(WORKER_QUERY_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    '#### People finding people (相談・提案・紹介)',
    '',
    markdownTable(
      ['query / field / mutation', 'who may'],
      Object.entries(PEOPLE_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    renderAssignmentMatrix(),
    '',
    MATRIX_END,
  ].join('\n');
}

/** The Assignment tables (issue 11): fields, who reads them, the lists and operations. */
export function renderAssignmentMatrix(): string {
  return [
    '#### Assignment fields (割り当ての項目と区分)',
    '',
    markdownTable(['field', 'group', 'about'], fieldRows(ASSIGNMENT_FIELDS)),
    '',
    '#### Who reads which group of an Assignment (区分ごとの参照可否)',
    '',
    `${ACCESS_LEGEND} “Registered staff” of an assignment are the staff of its order’s receiving organisation only (the kit’s \`organizationsOf\`): the worker was registered with it to be offered the work. The leader a delegation named reads as that staff does. Clients, delegating centres and partners read counts only (\`WorkOrder.progress\`, \`treeProgress\`, \`openRoles\`); no consent opens an assignment.`,
    '',
    groupAccessTable({
      viewers: ASSIGNMENT_VIEWERS,
      kindOf: ASSIGNMENT_VIEWER_KINDS,
      columns: ['public', 'personal'],
    }),
    '',
    '#### Assignment lists and operations (一覧と操作)',
    '',
    markdownTable(
      ['query / field / mutation', 'who may call it'],
      Object.entries(ASSIGNMENT_QUERY_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
  ].join('\n');
}

/** The document with matching's generated part replaced (or appended without the markers). */
export function withRenderedWorkerMatrix(document: string): string {
  return withGeneratedPart(
    document,
    { begin: MATRIX_BEGIN, end: MATRIX_END },
    renderWorkerMatrix(),
  );
}
