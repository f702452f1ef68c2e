-- An import is published whole (docs/decisions/0020-atomic-imports.md).
--
-- Its rows reach `records` in many transactions (the move's batches, on two connections), and
-- until now each batch was visible as it committed: a reader during a 5 GB move saw the dataset
-- grow for a quarter of an hour, and a failed consistency check took away rows it had shown.
-- Now the load registers the import here before its first row lands, every reader of `records`
-- skips the rows of an import registered here, and the job's last write — to succeeded, failed
-- or cancelled — removes the registration in its own transaction (the trigger below), so the
-- rows appear all at once with the job's success, or never (failure and cancel delete them in
-- that same transaction).

-- CreateTable
CREATE TABLE "import_loads" (
    "import_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_loads_pkey" PRIMARY KEY ("import_id")
);

CREATE FUNCTION lake_import_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM import_loads WHERE import_id = OLD.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER import_jobs_publication
  AFTER UPDATE ON import_jobs
  FOR EACH ROW
  WHEN (NEW.status IS DISTINCT FROM OLD.status
        AND NEW.status IN ('succeeded', 'failed', 'cancelled'))
  EXECUTE FUNCTION lake_import_publication();

-- A job goes with its dataset, and its rows with it: nothing is left to hide.
CREATE TRIGGER import_jobs_publication_on_delete
  AFTER DELETE ON import_jobs
  FOR EACH ROW
  EXECUTE FUNCTION lake_import_publication();
