export { GET, POST } from "@/server/doors/rest/routes/import-jobs";

export const dynamic = "force-dynamic";
