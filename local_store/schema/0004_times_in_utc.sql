-- Times carry their zone: every time column now holds UTC (local_store/instants.py).
--
-- Before this step the intake wrote the case's own times and its intake events
-- in the computer's local time, while hall status updates, special procedures,
-- print logs and every created_at/updated_at were already UTC.  ASSUMPTION:
-- those local values were written on a station running in Asia/Shanghai, which
-- has been UTC+8 all year since 1991 (no daylight saving), so moving them to
-- UTC is exactly "minus eight hours".  Fractional seconds, when present, are kept.
UPDATE "case" SET
  received_at = datetime(received_at, '-8 hours')
    || CASE WHEN substr(received_at, 20, 1) = '.' THEN substr(received_at, 20, 7) ELSE '' END,
  accepted_at = CASE WHEN accepted_at IS NULL THEN NULL ELSE datetime(accepted_at, '-8 hours')
    || CASE WHEN substr(accepted_at, 20, 1) = '.' THEN substr(accepted_at, 20, 7) ELSE '' END END,
  decided_at = CASE WHEN decided_at IS NULL THEN NULL ELSE datetime(decided_at, '-8 hours')
    || CASE WHEN substr(decided_at, 20, 1) = '.' THEN substr(decided_at, 20, 7) ELSE '' END END,
  concluded_at = CASE WHEN concluded_at IS NULL THEN NULL ELSE datetime(concluded_at, '-8 hours')
    || CASE WHEN substr(concluded_at, 20, 1) = '.' THEN substr(concluded_at, 20, 7) ELSE '' END END;
-- Only the events the intake wrote were local; hall_status and special_procedure were UTC.
UPDATE case_event SET at = datetime(at, '-8 hours')
    || CASE WHEN substr(at, 20, 1) = '.' THEN substr(at, 20, 7) ELSE '' END
  WHERE kind IN ('received', 'accepted', 'accepted_with_deficiencies', 'notified',
                 'rejected', 'concluded');
-- Manifests frozen in the outbox carried those local times without an offset.
-- One never sent yet gets the offset it should have had (+08:00, the same
-- assumption).  One already tried keeps its bytes: the hall may hold it under
-- its idempotency key, and a different body under the same key is refused.
UPDATE outbox_entry SET manifest = json_set(manifest,
    '$.apply_time', CASE WHEN json_extract(manifest, '$.apply_time') IS NULL THEN NULL
      ELSE json_extract(manifest, '$.apply_time') || '+08:00' END,
    '$.accept_time', CASE WHEN json_extract(manifest, '$.accept_time') IS NULL THEN NULL
      ELSE json_extract(manifest, '$.accept_time') || '+08:00' END,
    '$.decided_at', CASE WHEN json_extract(manifest, '$.decided_at') IS NULL THEN NULL
      ELSE json_extract(manifest, '$.decided_at') || '+08:00' END)
  WHERE attempts = 0 AND state IN ('queued', 'parked');
