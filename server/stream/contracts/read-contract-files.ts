import { readFileSync } from "node:fs";
import path from "node:path";

import { PROTO_DIR, STREAM_PROTO_FILES } from "./contract-files";

/** The .proto files of `datapunk.stream.v1` as the gRPC door loads them, for the API reference. */
export function readStreamProtoFiles(): { path: string; text: string }[] {
  return STREAM_PROTO_FILES.map((file) => ({
    path: `proto/${file}`,
    text: readFileSync(path.join(PROTO_DIR, file), "utf8"),
  }));
}
