export { POST } from "@/server/doors/rest/routes/import-job-retry";

export const dynamic = "force-dynamic";
