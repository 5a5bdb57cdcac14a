-- Other services keep who operates each space from spaces.space.registered / updated (events
-- decides with it whose say a venue there needs: docs/authorization.md). Spaces created before
-- those events existed were never announced, so each is announced once here, through the
-- outbox like any other event: the relay publishes the rows after the service starts.
-- Schema unchanged (no Prisma model change): this migration only writes data.
WITH existing AS (
  -- Volatile functions in the select list run once per row: each space gets its own id.
  SELECT s.*, date_trunc('milliseconds', clock_timestamp()) AS at, gen_random_uuid() AS random
    FROM "space" s
), announced AS (
  -- A UUID v7 like createEvent's (48-bit Unix milliseconds, then random bits): the random v4
  -- with its time prefix overlaid and its version bits turned from 4 into 7.
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
SELECT event_id, 'spaces.space.registered', 1, id::text,
       jsonb_build_object(
         'id', event_id,
         'type', 'spaces.space.registered',
         'version', 1,
         'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'source', 'spaces',
         'subject', id::text,
         'data', jsonb_build_object(
           'spaceId', id,
           'name', name,
           -- The enums' stored labels are the events' spellings (coworking, telework-centre …).
           'kind', kind::text,
           'status', status::text,
           'municipalityCode', municipality_code,
           'operatorId', operator_id
         )
       ),
       at
  FROM announced;
