-- A dataset's JSON Schema is kept as the text its author sent (json), no longer as jsonb: jsonb
-- stores an object's keys sorted (shorter keys first, then by bytes), so `properties` lost the
-- order they were written in — the order of the Data grid's columns and of the schema form's
-- fields. No SQL looks inside a schema (it is read whole and compiled by Ajv), so jsonb's
-- operators and indexes bought nothing here.
--
-- Schemas stored before this migration keep the order jsonb gave them: the author's order was
-- never stored and cannot be recovered. Saving a dataset's schema again (PATCH) restores it.

-- AlterTable
ALTER TABLE "datasets" ALTER COLUMN "json_schema" SET DATA TYPE JSON USING "json_schema"::json;
