-- CreateEnum
CREATE TYPE "VectorType" AS ENUM ('TEXT', 'IMAGE', 'AUDIO', 'CUSTOM');

-- CreateEnum
CREATE TYPE "VectorMetric" AS ENUM ('cosine', 'l2', 'inner_product');

-- CreateEnum
CREATE TYPE "VectorIndexMethod" AS ENUM ('ivfflat', 'hnsw');

-- CreateEnum
CREATE TYPE "VectorIndexStatus" AS ENUM ('pending', 'building', 'ready', 'failed');

-- AlterTable
ALTER TABLE "records" DROP COLUMN "embedding";

-- AlterTable
ALTER TABLE "import_jobs" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "checksum" TEXT,
ADD COLUMN     "rows_transformed" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "rows_validated" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "stage" "ImportStageName";

-- CreateTable
CREATE TABLE "import_row_errors" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "line" BIGINT NOT NULL,
    "column" TEXT,
    "reason" TEXT NOT NULL,

    CONSTRAINT "import_row_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_embeddings" (
    "record_id" UUID NOT NULL,
    "type" "VectorType" NOT NULL,
    "model" TEXT NOT NULL,
    "embedding" vector(1536) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "record_embeddings_pkey" PRIMARY KEY ("record_id","type")
);

-- CreateTable
CREATE TABLE "vector_indexes" (
    "id" UUID NOT NULL,
    "type" "VectorType" NOT NULL,
    "metric" "VectorMetric" NOT NULL,
    "method" "VectorIndexMethod" NOT NULL DEFAULT 'ivfflat',
    "status" "VectorIndexStatus" NOT NULL DEFAULT 'pending',
    "index_name" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "recall_target" DOUBLE PRECISION NOT NULL DEFAULT 0.95,
    "measured_recall" DOUBLE PRECISION,
    "rows_at_build" BIGINT NOT NULL DEFAULT 0,
    "size_bytes" BIGINT,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "built_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vector_indexes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_row_errors_job_id_line_idx" ON "import_row_errors"("job_id", "line");

-- CreateIndex
CREATE INDEX "record_embeddings_type_idx" ON "record_embeddings"("type");

-- CreateIndex
CREATE UNIQUE INDEX "vector_indexes_type_metric_key" ON "vector_indexes"("type", "metric");

-- AddForeignKey
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "record_embeddings" ADD CONSTRAINT "record_embeddings_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "records"("id") ON DELETE CASCADE ON UPDATE CASCADE;
