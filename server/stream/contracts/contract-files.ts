import path from "node:path";

/**
 * Where the contracts are: `proto/` at the root of the checkout (the process's working directory,
 * as for `npm start`, the worker and the tests), so the compiled server reads the same files.
 */
export const PROTO_DIR = path.resolve("proto");

/** The gRPC and event files of `datapunk.stream.v1`. */
export const STREAM_PROTO_FILES = [
  "datapunk/stream/v1/events.proto",
  "datapunk/stream/v1/stream_service.proto",
  "datapunk/stream/v1/stream_processor.proto",
];

export const AVRO_DIR = path.join(PROTO_DIR, "avro");
