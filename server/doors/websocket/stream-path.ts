export const STREAM_PATH = "/api/v1/lake/stream";
