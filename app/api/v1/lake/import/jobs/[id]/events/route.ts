export { GET } from "@/server/doors/rest/routes/import-job-events";

export const dynamic = "force-dynamic";
