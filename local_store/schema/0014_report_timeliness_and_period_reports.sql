-- 0014 (issue 16): 及时率 counts 12 hours from the decision a manifest reports, so
-- the outbox keeps that instant as a column (the manifest's decided_at, in UTC);
-- entries queued before this step take it from their frozen manifest.
ALTER TABLE "outbox_entry" ADD COLUMN "decided_at" DATETIME;
UPDATE "outbox_entry" SET "decided_at" = strftime('%Y-%m-%d %H:%M:%S', json_extract("manifest", '$.decided_at')) WHERE json_valid("manifest") AND json_extract("manifest", '$.decided_at') IS NOT NULL;
-- 周报/月报 and day sign-offs on their way to the hall: the body as sent, frozen.
CREATE TABLE "period_report" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "kind" VARCHAR(16) NOT NULL, "station" VARCHAR(16) NOT NULL, "period_start" DATE NOT NULL, "period_end" DATE NOT NULL, "body" TEXT NOT NULL, "created_by" VARCHAR(64) NOT NULL, "created_at" DATETIME NOT NULL, "sync_state" VARCHAR(16) NOT NULL, "attempts" INTEGER NOT NULL, "last_error" TEXT NOT NULL, "next_attempt_at" DATETIME NOT NULL, "acknowledged_at" DATETIME);
CREATE UNIQUE INDEX "period_report_uuid" ON "period_report" ("uuid");
CREATE INDEX "period_report_sync_state" ON "period_report" ("sync_state");
CREATE INDEX "period_report_kind_station_period_start" ON "period_report" ("kind", "station", "period_start");
