export { GET } from "@/server/doors/rest/routes/analytics-records";

export const dynamic = "force-dynamic";
