// Markdown views of personal-data tables, so each service's part of docs/authorization.md is
// generated from the same table its schema and matrix test use.

import {
  ACCESS_BY_CALLER,
  ACCESS_COLUMNS,
  type AccessColumn,
  type AccessOutcome,
  type CallerKind,
  fieldsOfGroup,
  type PersonalFieldTable,
} from './rules.js';

export const OUTCOME_TEXT: Record<AccessOutcome, string> = {
  ok: '✅',
  'ok+audit': '✅ 📝',
  UNAUTHENTICATED: '❌ UNAUTHENTICATED',
  FORBIDDEN: '❌ FORBIDDEN',
  CONSENT_REQUIRED: '❌ CONSENT_REQUIRED',
  NOT_A_PARTNER: '❌ NOT_A_PARTNER',
  OUTSIDE_PARTNER_CEILING: '❌ OUTSIDE_PARTNER_CEILING',
};

export const COLUMN_TEXT: Record<AccessColumn, string> = {
  public: 'public',
  'profile:PUBLIC': 'profile (visibility PUBLIC)',
  'profile:MEMBERS': 'profile (visibility MEMBERS)',
  'profile:STAFF': 'profile (visibility STAFF)',
  personal: 'personal',
  owner: 'owner',
};

export const ACCESS_LEGEND =
  '✅ the value · ✅ 📝 the value, and a PARTNER_READ audit entry · ❌ CODE: null and an error with that code at the field. A partner key reads through consent only when its organisation is a partner now, the key is within the partner’s ceiling, and the member’s live consent names that organisation and the key’s purpose.';

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/** A Markdown table. */
export function markdownTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

/** Rows `field | group | about` of a table (reserved fields marked so). */
export function fieldRows(
  table: PersonalFieldTable,
  reserved: PersonalFieldTable = {},
): string[][] {
  return [
    ...Object.entries(table).map(([field, rule]) => [`\`${field}\``, rule.group, rule.about]),
    ...Object.entries(reserved).map(([field, rule]) => [
      `\`${field}\` (reserved)`,
      rule.group,
      rule.about,
    ]),
  ];
}

/**
 * Who reads which column: one row per viewer (a service's named situations, each one kind of
 * caller), one column per entry of `columns`.
 */
export function groupAccessTable<V extends string>(options: {
  viewers: Readonly<Record<V, string>>;
  kindOf: Readonly<Record<V, CallerKind>>;
  columns?: readonly AccessColumn[];
}): string {
  const columns = options.columns ?? ACCESS_COLUMNS;
  const viewers = Object.keys(options.viewers) as V[];
  return markdownTable(
    ['viewer', ...columns.map((column) => COLUMN_TEXT[column])],
    viewers.map((viewer) => [
      options.viewers[viewer],
      ...columns.map((column) => OUTCOME_TEXT[ACCESS_BY_CALLER[options.kindOf[viewer]][column]]),
    ]),
  );
}

/** The personal fields one by one: every viewer's outcome for each personal field. */
export function personalFieldsTable<V extends string>(options: {
  table: PersonalFieldTable;
  viewers: Readonly<Record<V, string>>;
  kindOf: Readonly<Record<V, CallerKind>>;
}): string {
  const personal = fieldsOfGroup(options.table, 'personal');
  const viewers = Object.keys(options.viewers) as V[];
  return markdownTable(
    ['viewer', ...personal.map((field) => `\`${field}\``)],
    viewers.map((viewer) => [
      options.viewers[viewer],
      ...personal.map(() => OUTCOME_TEXT[ACCESS_BY_CALLER[options.kindOf[viewer]].personal]),
    ]),
  );
}

/**
 * The document with the generated part between `begin` and `end` replaced by `rendered` (or
 * appended when the markers are missing).
 */
export function withGeneratedPart(
  document: string,
  markers: { begin: string; end: string },
  rendered: string,
): string {
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end, begin === -1 ? 0 : begin);
  if (begin === -1 || end === -1) return `${document.trimEnd()}\n\n${rendered}\n`;
  return document.slice(0, begin) + rendered + document.slice(end + markers.end.length);
}
