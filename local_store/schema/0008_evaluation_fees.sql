-- Service evaluation (好差评), rectification of bad ratings and fees (issue 15).
-- The evaluation table of 0001 allowed one rating per case and had no channel,
-- clerk or delivery state: it is rebuilt with one rating per decision point of a
-- case (一事一评: decision, conclusion).  Nothing wrote it before this step; a
-- row found anyway is kept as the window's rating of the decision.
DROP INDEX IF EXISTS "evaluation_case_id";
DROP INDEX IF EXISTS "evaluation_at";
ALTER TABLE "evaluation" RENAME TO "evaluation_before_0008";
CREATE TABLE "evaluation" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, "case_id" INTEGER NOT NULL, "point" VARCHAR(16) NOT NULL, "round" INTEGER NOT NULL, "level" VARCHAR(16) NOT NULL, "comment" TEXT NOT NULL, "channel" VARCHAR(8) NOT NULL, "clerk" VARCHAR(64) NOT NULL, "at" DATETIME NOT NULL, "sync_state" VARCHAR(16) NOT NULL, "attempts" INTEGER NOT NULL, "last_error" TEXT NOT NULL, "next_attempt_at" DATETIME NOT NULL, "acknowledged_at" DATETIME, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE);
INSERT INTO "evaluation" ("id", "uuid", "case_id", "point", "round", "level", "comment", "channel", "clerk", "at", "sync_state", "attempts", "last_error", "next_attempt_at", "acknowledged_at")
  SELECT "id", lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
         "case_id", 'decision', 1, "level", "comment", 'window', '', "at", 'queued', 0, '', "at", NULL
  FROM "evaluation_before_0008";
DROP TABLE "evaluation_before_0008";
CREATE UNIQUE INDEX "evaluation_uuid" ON "evaluation" ("uuid");
CREATE INDEX "evaluation_case_id" ON "evaluation" ("case_id");
CREATE INDEX "evaluation_at" ON "evaluation" ("at");
CREATE INDEX "evaluation_sync_state" ON "evaluation" ("sync_state");
CREATE UNIQUE INDEX "evaluation_case_id_point" ON "evaluation" ("case_id", "point");
CREATE TABLE "rectification" ("id" INTEGER NOT NULL PRIMARY KEY, "evaluation_id" INTEGER NOT NULL, "opened_at" DATETIME NOT NULL, "due_date" DATE NOT NULL, "due_uncertain" INTEGER NOT NULL, "state" VARCHAR(8) NOT NULL, "result" TEXT NOT NULL, "closed_by" VARCHAR(64) NOT NULL, "closed_at" DATETIME, FOREIGN KEY ("evaluation_id") REFERENCES "evaluation" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "rectification_evaluation_id" ON "rectification" ("evaluation_id");
CREATE INDEX "rectification_due_date" ON "rectification" ("due_date");
CREATE INDEX "rectification_state" ON "rectification" ("state");
CREATE TABLE "case_fee" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "items" TEXT NOT NULL, "amount_fen" INTEGER NOT NULL, "payee" VARCHAR(200) NOT NULL, "payer" VARCHAR(200) NOT NULL, "payment_code" VARCHAR(20) NOT NULL, "notice_no" VARCHAR(50) NOT NULL, "confirmed_by" VARCHAR(64) NOT NULL, "confirmed_at" DATETIME NOT NULL, "state" VARCHAR(12) NOT NULL, "paid_at" DATETIME, "paid_channel" VARCHAR(32) NOT NULL, "confirmation_id" VARCHAR(64), "refunded_at" DATETIME, "refund_note" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "case_fee_case_id" ON "case_fee" ("case_id");
CREATE UNIQUE INDEX "case_fee_payment_code" ON "case_fee" ("payment_code");
CREATE UNIQUE INDEX "case_fee_notice_no" ON "case_fee" ("notice_no");
CREATE INDEX "case_fee_state" ON "case_fee" ("state");
CREATE UNIQUE INDEX "case_fee_confirmation_id" ON "case_fee" ("confirmation_id");
