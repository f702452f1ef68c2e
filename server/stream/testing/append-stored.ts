import { type DbClient } from "../../db/transaction";
import { type NewStreamEvent, type StoredEvent } from "../events/stream-event";
import { appendEvents } from "../events/stream-events.queries";

/** Appends events to the log and returns them as stored, as a publisher holds them afterwards. */
export async function appendStored(db: DbClient, events: NewStreamEvent[]): Promise<StoredEvent[]> {
  const results = await appendEvents(db, events);
  return events.map((event, i) => ({
    ...event,
    offset: results[i]!.offset,
    storedAt: results[i]!.storedAt,
  }));
}
