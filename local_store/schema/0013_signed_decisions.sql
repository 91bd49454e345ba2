-- 0013: pre-review decisions signed by the station (issue 14).  Each decision
-- keeps the SM2 signature made when the clerk decided; the station's key pair
-- lives in its own table, with the hall that acknowledged the public key.
ALTER TABLE "prereview_decision" ADD COLUMN "signature" TEXT NOT NULL DEFAULT '';
CREATE TABLE "station_signing_key" ("id" INTEGER NOT NULL PRIMARY KEY, "station" VARCHAR(16) NOT NULL, "private_key" TEXT NOT NULL, "public_key" TEXT NOT NULL, "created_at" DATETIME NOT NULL, "registered_hall" TEXT NOT NULL, "registered_at" DATETIME);
CREATE UNIQUE INDEX "station_signing_key_station" ON "station_signing_key" ("station");
