import { route } from "@/server/http/route";
import { VERSION } from "@/server/version";

export const dynamic = "force-dynamic";

/** Liveness: answers while the process runs; calls no dependency. */
export const GET = route({
  endpoint: "/health",
  handler: async () => ({
    status: "ok",
    version: VERSION,
    uptimeSeconds: Math.round(process.uptime()),
  }),
});
