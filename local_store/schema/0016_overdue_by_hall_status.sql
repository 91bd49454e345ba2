-- Overdue counts leave out cases the hall reports concluded (their local state
-- stays "accepted"): the index leads with state and hall status so the count
-- seeks the few unfinished combinations and reads a deadline range in each,
-- instead of walking every old case of a five-year station (bench_scale).
CREATE INDEX IF NOT EXISTS "case_state_hall_status_deadline_station"
    ON "case" ("state", "hall_status", "deadline", "station");
