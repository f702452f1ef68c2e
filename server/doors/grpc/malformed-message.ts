import { type ServiceDefinition } from "@grpc/grpc-js";

import { AppError } from "../../errors/app-error";

/**
 * What a request that is not valid protobuf decodes to. grpc-js answers a message it cannot
 * deserialize with INTERNAL, a server error for the client's mistake; with this in its place the
 * handler answers INVALID_ARGUMENT in the same terms as every other bad input.
 */
export class MalformedMessage {
  constructor(readonly reason: string) {}
}

/** `definition` whose request decoders hand a MalformedMessage to the handler instead of throwing. */
export function tolerantDefinition(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer) => {
          try {
            return method.requestDeserialize(bytes) as unknown;
          } catch (error) {
            return new MalformedMessage(error instanceof Error ? error.message : String(error));
          }
        },
      },
    ]),
  );
}

/** Throws bad_request (INVALID_ARGUMENT) for a message that did not decode. */
export function assertWellFormed<T>(message: T | MalformedMessage): asserts message is T {
  if (message instanceof MalformedMessage) {
    throw new AppError("bad_request", `The message is not valid protobuf: ${message.reason}.`);
  }
}
