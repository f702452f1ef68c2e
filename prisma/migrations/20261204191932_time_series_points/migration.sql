-- CreateTable
CREATE TABLE "time_series_points" (
    "id" BIGSERIAL NOT NULL,
    "series" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "owner_id" UUID NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "time_series_points_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "time_series_points_series_time_idx" ON "time_series_points"("series", "time");
