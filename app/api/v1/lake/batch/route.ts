export { POST } from "@/server/doors/rest/routes/batch";

export const dynamic = "force-dynamic";
