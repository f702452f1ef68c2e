export { GET } from "@/server/doors/rest/routes/analytics-imports";

export const dynamic = "force-dynamic";
