import { counter } from "../../observability/metrics";
import { isTopic } from "./topics";

/** Producers' events by topic and outcome; listed from the start (stream services call it). */
export const ingestedEvents = () =>
  counter({
    name: "stream_events_ingested_total",
    help: "Events sent by producers (REST, gRPC Ingest), by topic and outcome (stored, duplicate, rejected).",
    labelNames: ["topic", "outcome"] as const,
  });

/** The topic label of a refused event: its topic when it named a real one, else "unknown". */
export const topicLabel = (raw: unknown): string => {
  const topic = (raw as { topic?: unknown } | null)?.topic;
  return typeof topic === "string" && isTopic(topic) ? topic : "unknown";
};
