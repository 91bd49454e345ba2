-- A case names its catalog item by (task_code, handle_item_code): the 业务办理项
-- of one item (食品经营许可 新办/变更/延续/注销) share the task_code.
-- The 办理项's own name travels with the case for receipts and reports.
ALTER TABLE "case" ADD COLUMN "handle_item_name" VARCHAR(400);
-- "No 办理项" is NULL, never '', so that cases of one item count as one.
UPDATE "case" SET "handle_item_code" = NULL WHERE "handle_item_code" = '';
-- Cases of an item, and of each of its 办理项 (the old task_code index is its prefix).
DROP INDEX IF EXISTS "case_task_code";
CREATE INDEX "case_task_code_handle_item_code" ON "case" ("task_code", "handle_item_code");
