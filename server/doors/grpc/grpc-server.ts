import { readFileSync } from "node:fs";

import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type GrpcObject,
  type ServiceClientConstructor,
} from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";

import { type Env } from "../../env";
import { logger } from "../../observability/logger";
import { STREAM_PACKAGE, streamPackageDefinition } from "../../stream/contracts/stream-proto";
import { tolerantDefinition } from "./malformed-message";
import { streamServiceHandlers } from "./stream-service";
import { tracedHandlers } from "./traced-handlers";

export const STREAM_SERVICE = `${STREAM_PACKAGE}.StreamService`;

export type GrpcConfig = Pick<
  Env,
  | "LAKE_GRPC_PORT"
  | "LAKE_GRPC_HOST"
  | "LAKE_GRPC_TLS_CERT"
  | "LAKE_GRPC_TLS_KEY"
  | "LAKE_GRPC_TLS_CLIENT_CA"
>;

export type GrpcDoor = { port: number; tls: "off" | "tls" | "mtls"; close(): Promise<void> };

/** The StreamService definition, from the .proto files in proto/. */
export function streamServiceDefinition() {
  const loaded = loadPackageDefinition(streamPackageDefinition());
  const service = STREAM_PACKAGE.split(".").reduce<GrpcObject>(
    (node, part) => node[part] as GrpcObject,
    loaded,
  ).StreamService as ServiceClientConstructor;
  return service.service;
}

function credentialsOf(config: GrpcConfig) {
  const { LAKE_GRPC_TLS_CERT: cert, LAKE_GRPC_TLS_KEY: key, LAKE_GRPC_TLS_CLIENT_CA: ca } = config;
  if (Boolean(cert) !== Boolean(key) || (ca && !cert)) {
    throw new Error(
      "gRPC TLS needs LAKE_GRPC_TLS_CERT and LAKE_GRPC_TLS_KEY together (and LAKE_GRPC_TLS_CLIENT_CA only with them).",
    );
  }
  if (!cert || !key)
    return { credentials: ServerCredentials.createInsecure(), tls: "off" as const };
  const clientCa = ca ? readFileSync(ca) : null;
  return {
    credentials: ServerCredentials.createSsl(
      clientCa,
      [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }],
      // With a client CA, a client must present a certificate it signed (mutual TLS).
      clientCa !== null,
    ),
    tls: clientCa ? ("mtls" as const) : ("tls" as const),
  };
}

/**
 * The gRPC door for Datapunk Stream: StreamService and the standard health service
 * (grpc.health.v1) on LAKE_GRPC_PORT. TLS with a certificate and key, mutual TLS with a client CA
 * too; without certificates it listens on loopback only, whatever LAKE_GRPC_HOST says, since
 * credentials would cross the network in clear.
 */
export async function startGrpcDoor(config: GrpcConfig): Promise<GrpcDoor> {
  const server = new Server({
    "grpc.max_receive_message_length": 16 * 1024 * 1024,
    "grpc.keepalive_time_ms": 60_000,
  });
  server.addService(
    tolerantDefinition(streamServiceDefinition()),
    tracedHandlers(STREAM_SERVICE, streamServiceHandlers),
  );
  const health = new HealthImplementation({ "": "SERVING", [STREAM_SERVICE]: "SERVING" });
  health.addToServer(server);

  const { credentials, tls } = credentialsOf(config);
  const host = tls === "off" ? "127.0.0.1" : config.LAKE_GRPC_HOST;
  if (tls === "off" && config.LAKE_GRPC_HOST !== "127.0.0.1") {
    logger().warn(
      { host: config.LAKE_GRPC_HOST },
      "gRPC has no TLS certificate (LAKE_GRPC_TLS_CERT/_KEY): listening on 127.0.0.1 only",
    );
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${config.LAKE_GRPC_PORT}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  logger().info({ port, host, tls }, "gRPC listening");
  return {
    port,
    tls,
    async close() {
      health.setStatus("", "NOT_SERVING");
      health.setStatus(STREAM_SERVICE, "NOT_SERVING");
      // Running calls (subscriptions never end by themselves) get a few seconds, then are cut.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000).unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
