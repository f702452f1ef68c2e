import { route } from "../route";
import { VERSION } from "../../../version";

/** Liveness: answers while the process runs; calls no dependency. */
export const GET = route({
  endpoint: "/health",
  handler: async () => ({
    status: "ok",
    version: VERSION,
    uptimeSeconds: Math.round(process.uptime()),
  }),
});
