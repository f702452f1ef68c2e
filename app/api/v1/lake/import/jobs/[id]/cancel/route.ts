export { POST } from "@/server/doors/rest/routes/import-job-cancel";

export const dynamic = "force-dynamic";
