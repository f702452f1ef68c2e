-- Payload indexes become opt-in, per dataset (docs/decisions/0019-payload-indexes.md).
--
-- The one GIN index over every record's payload served only `cs` (contains) filters, yet every
-- write to any dataset paid for it: about a third of an import's move, and the part that slows
-- down most as the table outgrows memory (a GIN index's entries land all over it). Now a dataset
-- asks for one (`payload_index`), and the Lake builds a partial GIN index of that dataset's rows
-- in the background (CREATE INDEX CONCURRENTLY … WHERE dataset_id = '…'), named
-- records_payload_<dataset id without dashes>.
--
-- Datasets that exist before this migration keep an indexed `cs`: they are marked as asking for
-- one, and the Lake builds their indexes at its next start. Until each is built, `cs` on that
-- dataset still answers, by reading the dataset's records.

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN "payload_index" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "payload_index_ready" BOOLEAN NOT NULL DEFAULT false;

UPDATE "datasets" SET "payload_index" = true;

-- DropIndex
DROP INDEX "records_payload_idx";

-- records.import_id is provenance, no longer a foreign key. An import job is deleted only with its
-- dataset, whose records go with it, so ON DELETE SET NULL never acted; what remained was a
-- per-row check on every row an import moves: 1.5–2.5 s of the 15–18 s that a million rows
-- took to insert into a table of records' shape on one backend.
-- The import's own rows carry its id, checked under its load fence (docs/decisions/0018).

-- DropForeignKey
ALTER TABLE "records" DROP CONSTRAINT "records_import_id_fkey";
