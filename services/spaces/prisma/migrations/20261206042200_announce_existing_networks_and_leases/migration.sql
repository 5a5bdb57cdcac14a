-- Matching learns which spaces form a network (and on which terms) from
-- spaces.space-network.changed, and which organisation may use a satellite office from
-- spaces.satellite-lease.granted. Networks and leases made before those events existed were
-- never announced, so each is announced once here through the outbox, as
-- 20261204210843_announce_existing_spaces did for spaces (the same UUID v7 event ids).
-- Schema unchanged (no Prisma model change): this migration only writes data.
WITH existing AS (
  SELECT n.*, date_trunc('milliseconds', clock_timestamp()) AS at, gen_random_uuid() AS random
    FROM "space_network" n
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
SELECT event_id, 'spaces.space-network.changed', 1, id::text,
       jsonb_build_object(
         'id', event_id,
         'type', 'spaces.space-network.changed',
         'version', 1,
         'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'source', 'spaces',
         'subject', id::text,
         'data', jsonb_build_object(
           'networkId', id,
           'name', name,
           -- The enums' stored labels are the events' spellings (visa, common-ticket, drop-in …).
           'kind', kind::text,
           'sites', (
             SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'spaceId', site.space_id,
                      'freeDaysPerMonth', site.free_days_per_month,
                      'discountPercent', site.discount_percent,
                      'noticeDays', site.notice_days,
                      'minimumPlan', site.minimum_plan::text
                    ) ORDER BY site.created_at, site.space_id), '[]'::jsonb)
               FROM "space_network_site" site
              WHERE site.network_id = announced.id
           )
         )
       ),
       at
  FROM announced;

WITH existing AS (
  SELECT l.*, r.space_id, date_trunc('milliseconds', clock_timestamp()) AS at,
         gen_random_uuid() AS random
    FROM "satellite_lease" l JOIN "room" r ON r.id = l.room_id
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
SELECT event_id, 'spaces.satellite-lease.granted', 1, id::text,
       jsonb_build_object(
         'id', event_id,
         'type', 'spaces.satellite-lease.granted',
         'version', 1,
         'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'source', 'spaces',
         'subject', id::text,
         'data', jsonb_build_object(
           'leaseId', id,
           'spaceId', space_id,
           'roomId', room_id,
           'tenantOrganizationId', tenant_organization_id,
           'startsOn', to_char(starts_on, 'YYYY-MM-DD'),
           'endsOn', to_char(ends_on, 'YYYY-MM-DD')
         )
       ),
       at
  FROM announced;
