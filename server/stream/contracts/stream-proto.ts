import path from "node:path";

import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import protobuf from "protobufjs";

import { singleton } from "../../singleton";
import { PROTO_DIR, STREAM_PROTO_FILES } from "./contract-files";

/** The package every Stream contract lives in; a breaking change starts `datapunk.stream.v2`. */
export const STREAM_PACKAGE = "datapunk.stream.v1";

/** The messages of `datapunk.stream.v1`, for encoding and decoding outside gRPC (the bus, tests). */
export function streamProtoRoot(): protobuf.Root {
  return singleton("stream:proto-root", () => {
    const root = new protobuf.Root();
    // Imports are relative to proto/; google/protobuf/* come with protobufjs.
    root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
    root.loadSync(STREAM_PROTO_FILES, { keepCase: false });
    root.resolveAll();
    return root;
  });
}

/** The gRPC view of the same files: service definitions with their (de)serializers. */
export function streamPackageDefinition(): PackageDefinition {
  return singleton("stream:grpc-package", () =>
    loadSync(STREAM_PROTO_FILES, {
      includeDirs: [PROTO_DIR],
      keepCase: false,
      // 64-bit integers as strings: a JavaScript number would round sequences past 2^53.
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    }),
  );
}
