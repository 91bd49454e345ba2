-- 0009: retention of personal data (issue 18).  A concluded or rejected case
-- whose every decision the hall acknowledged loses its personal data and scans
-- on this workstation N days later; the hall is the record.  purged_at says
-- when (NULL = whole); archived_digests keeps, as plain text the blob sweep
-- does not read, the digests of the files the hall acknowledged, so the case
-- can still be compared with the hall's copy after its blobs are gone.
ALTER TABLE "case" ADD COLUMN "purged_at" DATETIME;
ALTER TABLE "case" ADD COLUMN "archived_digests" TEXT;
-- Finding what is due scans concluded/rejected cases not yet purged.
CREATE INDEX "case_state_purged_at" ON "case" ("state", "purged_at");
