-- 0005: a case page remembers what it is, so a 补正 case can be continued.
-- Until now case_page kept only the blob digest, and continue_case rebuilt every
-- page as an image: a page imported from a PDF (its blob is the whole PDF) then
-- failed to open, and every rotation the clerk made was lost.  Rows written
-- before this step were all images without rotation: the defaults say just that.
ALTER TABLE "case_page" ADD COLUMN "kind" VARCHAR(8) NOT NULL DEFAULT 'image';
ALTER TABLE "case_page" ADD COLUMN "rotation" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "case_page" ADD COLUMN "pdf_index" INTEGER NOT NULL DEFAULT 0;
