import { ingestBodySchema } from "../../../stream/events/event-input.schemas";
import { assertSomethingStored, ingestEvents } from "../../../stream/events/ingest-events";
import { streamServices } from "../../../stream/stream-services";
import { apiRoute } from "../api-route";
import { jsonResponse } from "../json-response";
import { streamRateLimit } from "../../rate-limits";

/**
 * Events from plain HTTP producers: one, or `{ "events": [...] }`. 201 when every event was
 * stored (or was already: `duplicate`), 207 when some were refused (listed by index in `errors`,
 * the others stored), 400 when none could be.
 */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/stream/events",
  permission: "write",
  rateLimit: streamRateLimit,
  body: ingestBodySchema,
  handler: async (input) => {
    const { body } = input;
    const events = Array.isArray(body.events) ? body.events : [body];
    const result = await ingestEvents({ ...input.services, events, bus: streamServices().bus });
    assertSomethingStored(result);
    return jsonResponse(result, { status: result.errors.length > 0 ? 207 : 201 });
  },
});
