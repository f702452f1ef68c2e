-- Import jobs on the `imports` topic of the event log. A trigger, so that every write of a job —
-- whichever of the dozen places in the code makes it, now or later — commits its event with it
-- through the outbox, as record changes do (docs/decisions/0013-event-log.md). It fires on
-- creation, on each change of status or stage, and for progress (counters or bytes moved) at most
-- once per wall-clock second of `updated_at`: the console flushes progress every 250 ms, which
-- the log does not need to keep.
CREATE FUNCTION lake_import_job_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  action text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    action := 'created';
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    action := 'status';
  ELSIF NEW.stage IS DISTINCT FROM OLD.stage THEN
    action := 'stage';
  ELSIF (NEW.rows_validated, NEW.rows_transformed, NEW.rows_accepted, NEW.rows_rejected,
         NEW.rows_loaded, NEW.bytes_received, NEW.bytes_total)
        IS DISTINCT FROM
        (OLD.rows_validated, OLD.rows_transformed, OLD.rows_accepted, OLD.rows_rejected,
         OLD.rows_loaded, OLD.bytes_received, OLD.bytes_total)
        AND date_trunc('second', NEW.updated_at) > date_trunc('second', OLD.updated_at) THEN
    action := 'progress';
  ELSE
    RETURN NULL;
  END IF;
  INSERT INTO stream_outbox (topic, partition_key, event_id, event_time, owner_id, policy,
                             dataset_id, payload)
  VALUES ('imports', NEW.id::text, gen_random_uuid()::text, now(), NEW.owner_id, 'user_data',
          NEW.dataset_id,
          jsonb_build_object(
            'action', action, 'id', NEW.id, 'dataset_id', NEW.dataset_id,
            'filename', NEW.filename, 'status', NEW.status, 'stage', NEW.stage,
            'bytes_total', NEW.bytes_total, 'bytes_received', NEW.bytes_received,
            'rows_validated', NEW.rows_validated, 'rows_transformed', NEW.rows_transformed,
            'rows_accepted', NEW.rows_accepted, 'rows_rejected', NEW.rows_rejected,
            'rows_loaded', NEW.rows_loaded, 'attempts', NEW.attempts, 'error', NEW.error));
  RETURN NULL;
END
$$;

CREATE TRIGGER import_jobs_stream_events
  AFTER INSERT OR UPDATE ON import_jobs
  FOR EACH ROW EXECUTE FUNCTION lake_import_job_event();
