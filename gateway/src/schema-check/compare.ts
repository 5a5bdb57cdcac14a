import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { type ChangeLog, type ChangeLogEntry, changeKey } from './change-log.js';

export type SchemaChange = {
  level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
  /** graphql-inspector's change type, e.g. FIELD_TYPE_CHANGED. */
  type: string;
  /** The coordinate, e.g. `Member.createdAt`. */
  path: string;
  message: string;
  /** The entry of docs/schema-changes.md that records it, if any. */
  recordedIn?: ChangeLogEntry;
};

export type SchemaComparison = {
  changes: SchemaChange[];
  /** Breaking or dangerous changes no entry records: each fails the check. */
  unrecorded: SchemaChange[];
};

/**
 * Every difference between two public schemas (graphql-inspector's default rules), and which of
 * the breaking or dangerous ones the change log does not record.
 */
export async function compareSchemas(
  base: GraphQLSchema,
  head: GraphQLSchema,
  log: Pick<ChangeLog, 'entries'>,
): Promise<SchemaComparison> {
  const recorded = new Map<string, ChangeLogEntry>();
  for (const entry of log.entries) {
    for (const change of entry.changes) recorded.set(changeKey(change), entry);
  }
  const changes = (await diff(base, head)).map((change) => toSchemaChange(change, recorded));
  return {
    changes,
    unrecorded: changes.filter((change) => change.level !== 'NON_BREAKING' && !change.recordedIn),
  };
}

function toSchemaChange(change: Change, recorded: Map<string, ChangeLogEntry>): SchemaChange {
  // A change without a coordinate (e.g. a root type swapped) is named by its type.
  const path = change.path ?? String(change.type);
  const level =
    change.criticality.level === CriticalityLevel.Breaking
      ? 'BREAKING'
      : change.criticality.level === CriticalityLevel.Dangerous
        ? 'DANGEROUS'
        : 'NON_BREAKING';
  const recordedIn = recorded.get(changeKey({ path, message: change.message }));
  return {
    level,
    type: String(change.type),
    path,
    message: change.message,
    ...(recordedIn ? { recordedIn } : {}),
  };
}
