import { context, SpanKind, trace, type Attributes, type Context } from "@opentelemetry/api";
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from "@opentelemetry/semantic-conventions";
import { type Command, type Redis } from "ioredis";

import { failSpan, tracer } from "./tracer";

/** OTel's db.system.name for Redis (the constant is still in the incubating set). */
const DB_SYSTEM_NAME_VALUE_REDIS = "redis";

type SendCommand = (command: Command, stream?: unknown) => unknown;

/**
 * A CLIENT span for each command `client` sends, as a child of the request or job that sent it,
 * named by the command (`EVALSHA`); its arguments are not recorded (values, keys with ids). None
 * outside a recorded trace, and then nothing but one check per command: no span, no promise.
 *
 * With auto-pipelining, ioredis sends each tick's commands together from a setImmediate, i.e. in
 * the context of whichever caller queued the first one; so a command queued on the client's
 * pipelines remembers its own caller's context, and its span goes there.
 *
 * (ioredis ≥ 5.9 also publishes `ioredis:command` on a diagnostics tracing channel; subscribing
 * to it costs two promises per command even when nothing is recorded, and its events fire in the
 * pipeline's context: docs/decisions/0016-tracing.md.)
 */
export function traceRedisCommands(client: Redis): void {
  const callers = new WeakMap<Command, Context>();
  const traced = new WeakSet<Command>();
  const pipeline = client.pipeline.bind(client);
  client.pipeline = (...args: Parameters<Redis["pipeline"]>) => {
    const queued = pipeline(...args);
    // Pipeline.sendCommand queues a command (it is not in ioredis's public types).
    const internal = queued as unknown as { sendCommand(command: Command): unknown };
    const queue = internal.sendCommand.bind(queued);
    internal.sendCommand = (command) => {
      if (trace.getActiveSpan()?.isRecording()) callers.set(command, context.active());
      return queue(command);
    };
    return queued;
  };

  const send = client.sendCommand.bind(client) as SendCommand;
  const server = serverAttributes(client);
  (client as unknown as { sendCommand: SendCommand }).sendCommand = (command, stream) => {
    const caller = callers.get(command) ?? context.active();
    // A command goes through here again when it is resent after a reconnect: one span.
    if (traced.has(command) || !trace.getSpan(caller)?.isRecording()) {
      return send(command, stream);
    }
    traced.add(command);
    const operation = command.name.toUpperCase();
    const span = tracer.startSpan(
      operation,
      { kind: SpanKind.CLIENT, attributes: { ...server, [ATTR_DB_OPERATION_NAME]: operation } },
      caller,
    );
    command.promise.then(
      () => span.end(),
      (error: unknown) => {
        failSpan(span, error);
        span.end();
      },
    );
    return send(command, stream);
  };
}

function serverAttributes(client: Redis): Attributes {
  const { host, port, db, path } = client.options;
  return {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_REDIS,
    [ATTR_DB_NAMESPACE]: String(db ?? 0),
    [ATTR_SERVER_ADDRESS]: path ?? host ?? "localhost",
    ...(path ? {} : { [ATTR_SERVER_PORT]: port ?? 6379 }),
  };
}
