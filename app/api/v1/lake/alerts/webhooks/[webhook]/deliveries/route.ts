export { GET } from "@/server/doors/rest/routes/webhook-deliveries";

export const dynamic = "force-dynamic";
