-- Where a job's validate-and-stage pass stood at its last checkpoint: a retried run (time limit,
-- crash, restart) resumes from here instead of from the first row (docs/decisions/0018).
ALTER TABLE "import_jobs" ADD COLUMN "checkpoint" JSONB;

-- Time-ordered record ids (UUIDv7, RFC 9562): 48 bits of Unix milliseconds, then random bits.
-- New rows land at the right edge of the primary key instead of on a random page of it, which
-- made bulk loads pay for a page read and split per row (docs/decisions/0018). PostgreSQL 18 has
-- uuidv7() built in; this one has its own name so the two never shadow each other. SQL that
-- inserts records names it; Prisma's own inserts make the same kind of id (@default(uuid(7))).
CREATE FUNCTION lake_uuidv7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(
      set_bit(
        overlay(uuid_send(gen_random_uuid())
                placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                from 1 for 6),
        52, 1),
      53, 1),
    'hex')::uuid
$$;
