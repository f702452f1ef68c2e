import type { Metadata } from "next";

import { DoorsNav } from "@/components/api-reference/doors-nav";
import { GrpcDoor } from "@/components/api-reference/grpc-door";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { readStreamProtoFiles } from "@/server/stream/contracts/read-contract-files";

export const metadata: Metadata = { title: "gRPC · API reference" };

export default function GrpcReferencePage() {
  const config = env();
  const tls = Boolean(config.LAKE_GRPC_TLS_CERT && config.LAKE_GRPC_TLS_KEY);
  return (
    <>
      <PageHeader
        title="gRPC"
        description="StreamService for Datapunk Stream and other producers: ingest, time series and subscriptions over HTTP/2."
      />
      <DoorsNav current="grpc" />
      <GrpcDoor
        settings={{
          port: config.LAKE_GRPC_PORT,
          host: tls ? config.LAKE_GRPC_HOST : "127.0.0.1",
          tls,
          mutualTls: tls && Boolean(config.LAKE_GRPC_TLS_CLIENT_CA),
          streamRequestsPerHour: config.LAKE_RATE_LIMIT_STREAM_PER_HOUR,
          protoFiles: readStreamProtoFiles(),
        }}
      />
    </>
  );
}
