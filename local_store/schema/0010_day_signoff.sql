-- 0010: the supervisor's end-of-day sign-off (issue 16).  One row per station and
-- station day: who signed, when (UTC), and the reconciliation figures as they
-- stood when signed, so a later change to the day is visible against them.
CREATE TABLE "day_signoff" ("id" INTEGER NOT NULL PRIMARY KEY, "station" VARCHAR(16) NOT NULL, "day" DATE NOT NULL, "signed_by" VARCHAR(64) NOT NULL, "signed_at" DATETIME NOT NULL, "figures" TEXT NOT NULL);
CREATE UNIQUE INDEX "day_signoff_station_day" ON "day_signoff" ("station", "day");
