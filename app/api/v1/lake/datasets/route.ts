export { GET, POST } from "@/server/doors/rest/routes/datasets";

export const dynamic = "force-dynamic";
