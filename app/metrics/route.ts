export { GET } from "@/server/doors/rest/routes/metrics";

export const dynamic = "force-dynamic";
