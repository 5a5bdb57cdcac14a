import {
  ACCESS_LEGEND,
  fieldRows,
  groupAccessTable,
  markdownTable,
  withGeneratedPart,
} from '@hub/service-kit';
import {
  PATROL_REQUEST_FIELDS,
  PATROL_REQUEST_VIEWER_KINDS,
  PATROL_REQUEST_VIEWERS,
  PATROL_VISIT_QUERY_RULES,
} from './rules.js';

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
