import type { EventOf, SqlClient } from '@hub/event-bus';

/**
 * Writes one `members.affiliation.changed` into a service's copy of the members' affiliations
 * (matching's `worker_affiliation`, spaces' `member_affiliation`: the same columns, and the
 * service's `erased_member` tombstones). The caller holds its member lock, the one its erasure
 * takes, so an upsert that checked for the tombstone cannot commit after the erasure.
 *
 * Both changes carry the whole affiliation, so both upsert it: an 'ended' that overtook its
 * 'started' (a retry, a replay) records a closed affiliation, and the older 'started' then
 * cannot reopen it. An older event never overwrites a newer one; on a tie (the same
 * millisecond) 'ended' wins, since members never reopens an ended affiliation. The member and
 * organisation of an affiliation never change, so only the facts that can are updated.
 * Affiliations of erased members are dropped: a late event must not bring them back.
 */
export async function upsertAffiliationCopy(
  tx: SqlClient,
  table: 'worker_affiliation' | 'member_affiliation',
  event: EventOf<'members.affiliation.changed'>,
): Promise<void> {
  const { data } = event;
  const isNewer =
    data.change === 'ended'
      ? `${table}.source_event_at <= EXCLUDED.source_event_at`
      : `${table}.source_event_at < EXCLUDED.source_event_at`;
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table} (affiliation_id, member_id, organization_id, role, starts_on, ends_on,
                           source_event_at, updated_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $5::date, $6::date, $7::timestamptz, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_member WHERE member_id = $2::uuid)
     ON CONFLICT (affiliation_id) DO UPDATE
        SET role = EXCLUDED.role,
            starts_on = EXCLUDED.starts_on,
            ends_on = EXCLUDED.ends_on,
            source_event_at = EXCLUDED.source_event_at,
            updated_at = now()
      WHERE ${isNewer}`,
    data.affiliationId,
    data.memberId,
    data.organizationId,
    data.role,
    data.startsOn,
    data.endsOn,
    event.occurredAt,
  );
}
