export { DELETE } from "@/server/doors/rest/routes/webhook";

export const dynamic = "force-dynamic";
