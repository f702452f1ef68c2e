export { POST } from "@/server/doors/rest/routes/stream-events";

export const dynamic = "force-dynamic";
