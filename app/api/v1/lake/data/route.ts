export { GET, POST } from "@/server/doors/rest/routes/data";

export const dynamic = "force-dynamic";
