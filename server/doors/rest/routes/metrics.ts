import { route } from "../route";
import { metrics } from "../../../observability/metrics";

/** Prometheus text exposition. */
export const GET = route({
  endpoint: "/metrics",
  handler: async () => {
    const { registry } = metrics();
    return new Response(await registry.metrics(), {
      headers: { "Content-Type": registry.contentType },
    });
  },
});
