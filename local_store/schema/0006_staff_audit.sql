-- Staff sign-in at the station (offline after one online sign-in), sessions,
-- and the append-only, hash-chained audit trail (issue 12).
CREATE TABLE "staff_account" ("id" INTEGER NOT NULL PRIMARY KEY, "account" VARCHAR(64) NOT NULL, "display_name" VARCHAR(64) NOT NULL, "role" VARCHAR(16) NOT NULL, "password_hash" VARCHAR(200), "hall_verified_at" DATETIME, "failed_attempts" INTEGER NOT NULL, "locked_until" DATETIME, "last_sign_in_at" DATETIME);
CREATE UNIQUE INDEX "staff_account_account" ON "staff_account" ("account");
CREATE TABLE "staff_session" ("id" INTEGER NOT NULL PRIMARY KEY, "session_sha256" VARCHAR(64) NOT NULL, "account" VARCHAR(64) NOT NULL, "kind" VARCHAR(8) NOT NULL, "started_at" DATETIME NOT NULL, "last_seen_at" DATETIME NOT NULL, "ended_at" DATETIME, "end_reason" VARCHAR(16) NOT NULL);
CREATE INDEX "staff_session_account" ON "staff_session" ("account");
CREATE UNIQUE INDEX "staff_session_session_sha256" ON "staff_session" ("session_sha256");
CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" VARCHAR(40) NOT NULL, "station" VARCHAR(16) NOT NULL, "account" VARCHAR(64) NOT NULL, "event" VARCHAR(32) NOT NULL, "object" VARCHAR(200) NOT NULL, "outcome" VARCHAR(16) NOT NULL, "detail" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "row_hash" VARCHAR(64) NOT NULL);
CREATE INDEX "audit_event_at" ON "audit_event" ("at");
CREATE INDEX "audit_event_event" ON "audit_event" ("event");
-- The program only ever appends: changing or removing a row takes someone
-- going around it, and the hash chain reports what they did.
CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event"
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;
CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event"
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;
