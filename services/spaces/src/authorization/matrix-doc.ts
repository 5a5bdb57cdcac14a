import {
  ACCESS_LEGEND,
  fieldRows,
  groupAccessTable,
  markdownTable,
  personalFieldsTable,
  withGeneratedPart,
} from '@hub/service-kit';
import {
  PATROL_REQUEST_FIELDS,
  PATROL_REQUEST_VIEWER_KINDS,
  PATROL_REQUEST_VIEWERS,
  PATROL_VISIT_QUERY_RULES,
} from './rules.js';
import {
  VISIT_FIELDS,
  VISIT_QUERY_RULES,
  VISIT_VIEWER_KINDS,
  VISIT_VIEWERS,
} from './visit-rules.js';

export const MATRIX_BEGIN =
  '<!-- BEGIN GENERATED from services/spaces/src/authorization/rules.ts — update with: cd services/spaces && pnpm exec tsx src/authorization/print-matrix.ts -->';
export const MATRIX_END = '<!-- END GENERATED (spaces) -->';

/** Spaces' generated part of docs/authorization.md: every table is a view of rules.ts. */
export function renderSpacesMatrix(): string {
  return [
    MATRIX_BEGIN,
    '',
    '#### PatrolRequest fields (巡回訪問の依頼の項目と区分)',
    '',
    markdownTable(['field', 'group', 'about'], fieldRows(PATROL_REQUEST_FIELDS)),
    '',
    '#### Who reads which group of a PatrolRequest (区分ごとの参照可否)',
    '',
    `${ACCESS_LEGEND} Only these callers reach a request (it is shown inside a visit whole). Spaces keeps no read model of members’ affiliations or consents yet, so staff are never “registered staff” here and no partner reads it: the requester reads for the member and hub admins only.`,
    '',
    groupAccessTable({
      viewers: PATROL_REQUEST_VIEWERS,
      kindOf: PATROL_REQUEST_VIEWER_KINDS,
      columns: ['public', 'personal'],
    }),
    '',
    '#### Patrol visits (巡回訪問)',
    '',
    markdownTable(
      ['query / field', 'who may read it'],
      Object.entries(PATROL_VISIT_QUERY_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    '#### Visit fields (入退室の記録の項目と区分)',
    '',
    markdownTable(['field', 'group', 'about'], fieldRows(VISIT_FIELDS)),
    '',
    '#### Who reads a Visit (入退室の記録の参照可否)',
    '',
    `${ACCESS_LEGEND} “Registered staff” of a visit are the staff of the operator of the visited space only (the kit’s \`organizationsOf\`): a member’s memberships elsewhere never open it to other operators’ staff. An erased member’s visit (\`memberId\` null) is read by that staff and hub admins only. Spaces holds no consent that opens presence: partners read counts (\`occupancy\`), never a visit.`,
    '',
    personalFieldsTable({
      table: VISIT_FIELDS,
      viewers: VISIT_VIEWERS,
      kindOf: VISIT_VIEWER_KINDS,
    }),
    '',
    '#### Presence (入退室)',
    '',
    markdownTable(
      ['query / field', 'who may read it'],
      Object.entries(VISIT_QUERY_RULES).map(([name, who]) => [`\`${name}\``, who]),
    ),
    '',
    MATRIX_END,
  ].join('\n');
}

/** The document with spaces' generated part replaced (or appended without the markers). */
export function withRenderedSpacesMatrix(document: string): string {
  return withGeneratedPart(
    document,
    { begin: MATRIX_BEGIN, end: MATRIX_END },
    renderSpacesMatrix(),
  );
}
