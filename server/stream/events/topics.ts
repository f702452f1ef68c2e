import { type ResourcePolicy } from "../../auth/resource-policy";

/** What producers may send (REST, gRPC Ingest). */
export const INGEST_TOPICS = ["user_events", "system_metrics"] as const;
/** What the Lake itself writes: record changes, import progress, closed windows, alert changes. */
export const LAKE_TOPICS = ["records", "imports", "windows", "alerts"] as const;
export const TOPICS = [...INGEST_TOPICS, ...LAKE_TOPICS] as const;

export type IngestTopic = (typeof INGEST_TOPICS)[number];
export type Topic = (typeof TOPICS)[number];

export const isTopic = (value: string): value is Topic =>
  (TOPICS as readonly string[]).includes(value);

/**
 * Who may receive an event of an ingested topic, decided here once. `user_events` are a user's
 * own (owner_only, like a user_data dataset's records); `system_metrics` are shared with every
 * reader (role_based). A record change carries its dataset's policy instead; an import job's
 * events are its owner's (written by a trigger on import_jobs, migration import_job_events).
 */
export function topicPolicy(topic: IngestTopic | "imports"): ResourcePolicy {
  return topic === "system_metrics" ? "analytics" : "user_data";
}
