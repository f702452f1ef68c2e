-- The fence between an import's load transactions and the writes that end or take over its run
-- (docs/decisions/0007-imports.md, "Cancel cannot race a load"). Each load transaction holds the
-- job's advisory lock shared (assertStillRunning); any write that changes the job's status or
-- attempts takes it exclusively here, so it waits for the batches in flight, and a batch that
-- starts after it queues behind it and then sees the change. An advisory lock rather than the
-- job's row (FOR SHARE, until now): the progress and checkpoint writes of the running job, several
-- a second, then never wait for a batch, nor make the next batch wait behind them.
CREATE FUNCTION lake_import_load_fence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('import-load:' || OLD.id::text));
  RETURN NEW;
END
$$;

CREATE TRIGGER import_jobs_load_fence
  BEFORE UPDATE ON import_jobs
  FOR EACH ROW
  WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.attempts IS DISTINCT FROM OLD.attempts)
  EXECUTE FUNCTION lake_import_load_fence();
