-- CreateEnum
CREATE TYPE "WindowFunction" AS ENUM ('count', 'avg', 'max', 'min', 'sum');

-- CreateTable
CREATE TABLE "aggregation_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "window_seconds" INTEGER NOT NULL,
    "grace_seconds" INTEGER NOT NULL,
    "functions" "WindowFunction"[],
    "field" TEXT,
    "group_by" TEXT[],
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "aggregation_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "window_aggregates" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "group_key" TEXT NOT NULL,
    "group_values" JSONB NOT NULL,
    "owner_id" UUID,
    "policy" "ResourcePolicy" NOT NULL,
    "count" BIGINT NOT NULL,
    "sum" DOUBLE PRECISION,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "window_aggregates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "window_late_events" (
    "rule_id" UUID NOT NULL,
    "offset" BIGINT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "group_key" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "window_late_events_pkey" PRIMARY KEY ("rule_id","offset")
);

-- CreateTable
CREATE TABLE "window_checkpoints" (
    "id" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "window_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "aggregation_rules_name_key" ON "aggregation_rules"("name");

-- CreateIndex
CREATE INDEX "window_aggregates_rule_id_window_end_idx" ON "window_aggregates"("rule_id", "window_end");

-- CreateIndex
CREATE UNIQUE INDEX "window_aggregates_rule_id_window_start_group_key_key" ON "window_aggregates"("rule_id", "window_start", "group_key");

-- CreateIndex
CREATE INDEX "window_late_events_rule_id_window_start_idx" ON "window_late_events"("rule_id", "window_start");

-- AddForeignKey
ALTER TABLE "window_aggregates" ADD CONSTRAINT "window_aggregates_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "aggregation_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "window_late_events" ADD CONSTRAINT "window_late_events_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "aggregation_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The seed's two input streams get rules to start from (docs/decisions/0014): every metric's
-- count, mean and peak per host in 5-minute windows, and each user's events per minute.
INSERT INTO "aggregation_rules" ("id", "name", "topic", "window_seconds", "grace_seconds", "functions", "field", "group_by", "updated_at")
VALUES
  (gen_random_uuid(), 'system_metrics_5m', 'system_metrics', 300, 60, ARRAY['count', 'avg', 'max']::"WindowFunction"[], 'payload.value', ARRAY['payload.name', 'payload.host'], CURRENT_TIMESTAMP),
  (gen_random_uuid(), 'user_events_1m', 'user_events', 60, 60, ARRAY['count']::"WindowFunction"[], NULL, ARRAY[]::text[], CURRENT_TIMESTAMP);
