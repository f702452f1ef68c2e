export { DELETE, GET, HEAD, OPTIONS, PATCH, POST } from "@/server/doors/rest/routes/import-uploads";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
