-- CreateTable
CREATE TABLE "stream_cursors" (
    "name" TEXT NOT NULL,
    "offset" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stream_cursors_pkey" PRIMARY KEY ("name")
);
