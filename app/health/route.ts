export { GET } from "@/server/doors/rest/routes/health";

export const dynamic = "force-dynamic";
