-- Supervisors' summaries count events by kind over time, overdue cases by
-- state and deadline, and bad evaluations by time.
CREATE INDEX IF NOT EXISTS "case_event_at_kind" ON "case_event" ("at", "kind");
CREATE INDEX IF NOT EXISTS "case_state_deadline_station" ON "case" ("state", "deadline", "station");
CREATE INDEX IF NOT EXISTS "evaluation_at" ON "evaluation" ("at");
