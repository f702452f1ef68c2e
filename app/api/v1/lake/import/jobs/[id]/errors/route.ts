export { GET } from "@/server/doors/rest/routes/import-job-errors";

export const dynamic = "force-dynamic";
