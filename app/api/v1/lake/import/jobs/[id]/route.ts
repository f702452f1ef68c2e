export { GET } from "@/server/doors/rest/routes/import-job";

export const dynamic = "force-dynamic";
