export { GET } from "@/server/doors/rest/routes/analytics-series";

export const dynamic = "force-dynamic";
