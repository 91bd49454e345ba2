-- 0015: case search at five years of cases (issue 18).  At 1.5 M cases a
-- search that reads the case table takes seconds; app.cases.search_cases goes
-- through these instead: the applicant's name and ID number as each case
-- recorded them (the very expressions the search spells), and the applicant
-- register's name and ID number (its unique index leads with id_type, which
-- a search does not know).
CREATE INDEX "case_applicant_name" ON "case" (json_extract("applicant_snapshot", '$.name'));
CREATE INDEX "case_applicant_id_number" ON "case" (json_extract("applicant_snapshot", '$.id_number'));
CREATE INDEX "applicant_name" ON "applicant" ("name");
CREATE INDEX "applicant_id_number" ON "applicant" ("id_number");
