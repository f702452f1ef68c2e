-- CreateTable
CREATE TABLE "stream_outbox" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "partition_key" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "owner_id" UUID NOT NULL,
    "policy" "ResourcePolicy" NOT NULL,
    "dataset_id" UUID,
    "payload" JSONB NOT NULL,

    CONSTRAINT "stream_outbox_pkey" PRIMARY KEY ("id")
);
