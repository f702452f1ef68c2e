import { type PubSub } from "../../cache/pubsub";
import { type ImportJobView } from "../imports.schemas";

/** The channel of one import: progress for the console, and cancel requests for its worker. */
export const importChannel = (jobId: string) => `imports:${jobId}`;

export type ImportEvent = { type: "progress"; job: ImportJobView } | { type: "cancel" };

export function publishImportEvent(pubsub: PubSub, jobId: string, event: ImportEvent) {
  // Progress is best effort: a dropped message is replaced by the next one within 250 ms.
  return pubsub.publish(importChannel(jobId), event).catch(() => undefined);
}

export const isTerminal = (status: string) =>
  status === "succeeded" || status === "failed" || status === "cancelled";
