export { GET, POST } from "@/server/doors/rest/routes/alert-rules";

export const dynamic = "force-dynamic";
