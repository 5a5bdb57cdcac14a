-- Other services decide partner reads of the personal data they hold from the consents members
-- publishes (members.consent.granted / withdrawn: docs/authorization.md, "Personal data in
-- every service"). Consents given before those events existed were never announced, so each
-- live one that names a recipient is announced once here, through the outbox like any other
-- event: the relay publishes the rows after the service starts. Consents naming no recipient
-- let no partner read and stay unannounced.
-- Schema unchanged (no Prisma model change): this migration only writes data.
WITH live AS (
  -- One per (member, recipient, purpose): granting again withdraws the older ones, but the
  -- newest is the one that counts should two ever be live.
  SELECT DISTINCT ON (member_id, recipient_organization_id, purpose)
         member_id, recipient_organization_id, purpose, notice_version, granted_at
    FROM "consent"
   WHERE withdrawn_at IS NULL AND recipient_organization_id IS NOT NULL
   ORDER BY member_id, recipient_organization_id, purpose, granted_at DESC
), existing AS (
  -- Volatile functions in the select list run once per row: each consent gets its own id.
  SELECT live.*, date_trunc('milliseconds', clock_timestamp()) AS at, gen_random_uuid() AS random
    FROM live
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
SELECT event_id, 'members.consent.granted', 1, member_id::text,
       jsonb_build_object(
         'id', event_id,
         'type', 'members.consent.granted',
         'version', 1,
         'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'source', 'members',
         'subject', member_id::text,
         'data', jsonb_build_object(
           'memberId', member_id,
           'recipientOrganizationId', recipient_organization_id,
           'purpose', purpose,
           'noticeVersion', notice_version,
           -- consent.granted_at is a timestamp without time zone holding UTC (Prisma's way).
           'grantedAt', to_char(granted_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         )
       ),
       at
  FROM announced;
