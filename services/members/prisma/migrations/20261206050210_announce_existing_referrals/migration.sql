-- Matching computes trust (referral hops to a coordinator) from members.referral.changed: who
-- introduced each member, and the profile visibility that decides who sees the links to the
-- members they introduced. Members registered before the event existed were never announced,
-- so each member not erased is announced once here through the outbox, as
-- 20261205005900_announce_existing_consents did (the same UUID v7 event ids). Erased members
-- stay unannounced: a node nobody announced counts as `staff` for its links, as their
-- tombstone here does.
-- Schema unchanged (no Prisma model change): this migration only writes data.
WITH existing AS (
  SELECT m.id, m.referred_by_id, m.profile_visibility,
         date_trunc('milliseconds', clock_timestamp()) AS at, gen_random_uuid() AS random
    FROM "member" m
   WHERE m.erased_at IS NULL
), announced AS (
  SELECT existing.*,
         encode(
           set_bit(set_bit(
             overlay(uuid_send(random)
                     placing substring(int8send((extract(epoch FROM at) * 1000)::bigint) FROM 3)
                     FROM 1 FOR 6),
             52, 1), 53, 1),
           'hex')::uuid AS event_id
    FROM existing
)
INSERT INTO "outbox_event" ("id", "type", "version", "subject", "payload", "occurred_at")
SELECT event_id, 'members.referral.changed', 1, id::text,
       jsonb_build_object(
         'id', event_id,
         'type', 'members.referral.changed',
         'version', 1,
         'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'source', 'members',
         'subject', id::text,
         'data', jsonb_build_object(
           'memberId', id,
           'referredById', referred_by_id,
           -- The enum's stored labels are the event's spellings (public, members, staff).
           'profileVisibility', profile_visibility::text
         )
       ),
       at
  FROM announced;
