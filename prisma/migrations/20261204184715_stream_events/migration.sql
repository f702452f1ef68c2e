-- CreateTable
CREATE TABLE "stream_events" (
    "offset" BIGINT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition_key" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "owner_id" UUID NOT NULL,
    "policy" "ResourcePolicy" NOT NULL,
    "dataset_id" UUID,
    "payload" JSONB NOT NULL,

    CONSTRAINT "stream_events_pkey" PRIMARY KEY ("offset")
);

-- CreateTable
CREATE TABLE "stream_log" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "head" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "stream_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stream_events_topic_offset_idx" ON "stream_events"("topic", "offset");

-- CreateIndex
CREATE INDEX "stream_events_stored_at_idx" ON "stream_events" USING BRIN ("stored_at");

-- CreateIndex
CREATE UNIQUE INDEX "stream_events_owner_id_event_id_key" ON "stream_events"("owner_id", "event_id");
INSERT INTO "stream_log" ("id", "head") VALUES (1, 0);
