import { route } from "@/server/http/route";
import { metrics } from "@/server/observability/metrics";

export const dynamic = "force-dynamic";

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
