import type { Metadata } from "next";

import { DoorsNav } from "@/components/api-reference/doors-nav";
import { StreamProtocol } from "@/components/api-reference/stream-protocol";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { TOPICS } from "@/server/stream/events/topics";

import { publicOrigin } from "../public-origin";

export const metadata: Metadata = { title: "Stream protocol · API reference" };

export default async function StreamProtocolPage() {
  const config = env();
  return (
    <>
      <PageHeader
        title="Stream protocol"
        description="Following events live at /api/v1/lake/stream: the lake.v1 WebSocket protocol, and server-sent events that resume with Last-Event-ID."
      />
      <DoorsNav current="stream" />
      <StreamProtocol
        limits={{
          origin: await publicOrigin(),
          topics: TOPICS,
          sendBufferBytes: config.LAKE_STREAM_SEND_BUFFER_BYTES,
          maxConnections: config.LAKE_WS_MAX_CONNECTIONS,
          maxConnectionsPerPrincipal: config.LAKE_WS_MAX_CONNECTIONS_PER_PRINCIPAL,
          recheckSeconds: config.LAKE_WS_RECHECK_SECONDS,
          streamRequestsPerHour: config.LAKE_RATE_LIMIT_STREAM_PER_HOUR,
        }}
      />
    </>
  );
}
