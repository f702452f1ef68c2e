export { GET, POST } from "@/server/doors/rest/routes/webhooks";

export const dynamic = "force-dynamic";
